"""The demo desk (``desk``, from ``data``) and synthetic claims at benchmark scale (``bulk``,
built by ``stories`` from ``vocabulary``)."""

"""The Django admin for staff editors: one module per model admin, what their lists share
(``lists``), forms that call the services (``forms``) and the claims' bulk actions."""

from . import models_admin  # noqa: F401  (registers the model admins)

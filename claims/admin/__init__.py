"""The Django admin, the staff editors' tool: every model registered, every save through services.

One module per model admin (``sources``, ``claims``, ``evidence``, ``assignments``, ``audit``,
``users``, ``webhooks``, ``signin``; ``twofactor`` takes django-otp's off the site); what
their lists share (``lists``: pages chosen by id, one count at most, the base admin classes, the
reviewer filters); forms whose last validation step is a service call (``forms``); and the
claims' bulk actions (``actions``). Nothing can be deleted here but a sign-in lock's attempts
(``signin``: unlocking), and audit events can only be read.
"""

from . import (  # noqa: F401  (they register)
    assignments,
    audit,
    claims,
    evidence,
    notifications,
    signin,
    sources,
    tasks,
    twofactor,
    users,
    webhooks,
)

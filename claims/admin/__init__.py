"""The Django admin, the staff editors' tool: every model registered, every save through services.

One module per model admin (``sources``, ``claims``, ``evidence``, ``assignments``, ``audit``,
``users``); what their lists share (``lists``: pages chosen by id, one count at most, the base
admin classes, the reviewer filters); forms whose last validation step is a service call
(``forms``); and the claims' bulk actions (``actions``). Nothing can be deleted here, and audit
events can only be read.
"""

import django_tasks_db.admin  # noqa: F401  (registers its admin, here before it is unregistered)
from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from . import assignments, audit, claims, evidence, sources, users  # noqa: F401  (they register)

# django-tasks-db registers a read-only list of task results. This admin is the editors' desk,
# and task rows are the worker's plumbing (arguments, tracebacks): run_worker's log tells
# operators what ran and failed. (django-rq's queue page is left out too: RQ_SHOW_ADMIN_LINK.)
admin.site.unregister(DBTaskResult)

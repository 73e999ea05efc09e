"""Enqueue a task after the caller's transaction commits, hand-written because none of the task
libraries does it: django-tasks-rq pushes to Redis at once, and django-rq's COMMIT_MODE does not
apply to it, so a worker could run a task for a write that then rolled back.

On the database backend the task row is already part of the caller's transaction; waiting for
the commit there too keeps one behaviour on every backend, and keeps the immediate backend from
running a task inside a transaction that may still roll back.
"""

import functools
import logging

from django.db import transaction
from django_tasks.base import Task
from django_tasks.utils import normalize_json

logger = logging.getLogger("factcheck.tasks")


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Enqueue ``task(*args, **kwargs)`` once the current transaction commits, or at once when
    there is none; after a rollback nothing is enqueued.

    Mistakes in the call (a task its backend refuses, an argument that is not JSON) raise here,
    in the caller. A failure to enqueue after the commit (the queue's server is down) is logged
    on ``factcheck.tasks`` and not raised: the caller's write has committed by then, and a
    saved change must not come back as an error page.
    """
    task.get_backend().validate_task(task)
    normalize_json(args)
    normalize_json(kwargs)
    transaction.on_commit(functools.partial(_enqueue, task, args, kwargs))


def _enqueue(task: Task, args: tuple, kwargs: dict) -> None:
    try:
        task.enqueue(*args, **kwargs)
    except Exception:
        logger.exception("Could not enqueue task %s after commit", task.module_path)

"""Background work on Django's task API: what runs after a request, and when.

- ``config``: ``TASKS_URL`` and ``EMAIL_URL`` turned into settings (read by factcheck/settings.py).
- ``enqueue.enqueue_on_commit``: enqueue a task once the caller's transaction has committed.
- ``retry.retrying``: retries with exponential backoff, beneath ``@task(...)``.
- ``periodic``: the jobs of ``FACTCHECK_PERIODIC_JOBS``, run by the worker loop when due.
- ``worker.run_worker``: the worker of ``manage.py run_worker``, for whichever backend is set.

The package keeps its modules apart (no re-exports here) because settings import ``config``
before Django is set up, and the others import the task machinery.
"""

"""Retries with exponential backoff, hand-written because none of django-tasks, django-tasks-db
and django-tasks-rq retries: a failed task stays FAILED (and RQBackend never passes rq a Retry).

A retry is a new enqueue of the same task with ``attempt`` one higher and ``run_after`` pushed
back, so it works alike on every backend and survives a worker restart. It runs in the worker,
after the write that enqueued the task has committed, so it never blocks or rolls that back.
"""

import dataclasses
import functools
import inspect
import logging
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext
from django_tasks.base import Task

logger = logging.getLogger("factcheck.tasks")


def retrying(
    *,
    attempts: int = 5,
    first_delay: timedelta = timedelta(seconds=30),
    on_give_up: str | None = None,
) -> Callable[[Callable], Callable]:
    """Retry a task function that raises, waiting ``first_delay * 2**(attempt - 1)`` each time.

    Use it beneath ``@task(...)``, on a module-level function::

        @task(queue_name="email")
        @retrying(attempts=5, on_give_up="claims.notifications.delivery.gave_up")
        def deliver(notification_id: int, *, attempt: int = 1) -> None: ...

    The task takes a keyword argument ``attempt`` (1 when enqueued by hand), which the function
    receives too if it declares it. When the function raises an ``Exception``, a warning is logged
    on ``factcheck.tasks`` (task, attempt, error) and, while ``attempt < attempts``, the task is
    enqueued again with ``attempt + 1`` and ``run_after`` that delay from now (at once on a
    backend that cannot defer, such as the immediate one), and the run ends normally. After the
    last attempt an error is logged, the function named by the dotted path ``on_give_up`` (if
    any) is called with the task's arguments, less ``attempt``, plus ``error=str(exc)``, and the
    exception is raised again, so the task's result is FAILED. ``on_give_up`` is imported only
    then, so it may live in a module that imports the task.
    """
    if attempts < 1:
        raise ValueError("retrying() needs at least one attempt.")
    if first_delay < timedelta(0):
        raise ValueError("retrying() needs a first_delay of zero or more.")
    if on_give_up is not None and "." not in on_give_up:
        raise ValueError(f"on_give_up must be a dotted path to a function, not {on_give_up!r}.")

    def decorate(function: Callable) -> Callable:
        if inspect.iscoroutinefunction(function):
            raise TypeError("retrying() wraps plain functions, not coroutines.")
        passes_attempt = "attempt" in inspect.signature(function).parameters

        @functools.wraps(function)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                if passes_attempt:
                    return function(*args, attempt=attempt, **kwargs)
                return function(*args, **kwargs)
            except Exception as exc:
                retry = _Retry(run, args, kwargs, attempt, attempts, first_delay)
                if attempt < attempts:
                    retry.enqueue_next(exc)
                    return None
                retry.give_up(exc, on_give_up)
                raise

        return run

    return decorate


@dataclasses.dataclass
class _Retry:
    """One failed run of a retrying task: what to enqueue next, or whom to tell it gave up."""

    function: Callable
    args: tuple
    kwargs: dict
    attempt: int
    attempts: int
    first_delay: timedelta

    def task(self) -> Task:
        # With takes_context the run's own task (its queue and backend, even if chosen with
        # .using()) is at hand; otherwise the module-level Task, found as the worker finds it.
        if self.args and isinstance(self.args[0], TaskContext):
            return self.args[0].task_result.task
        return import_string(f"{self.function.__module__}.{self.function.__qualname__}")

    def task_arguments(self) -> tuple:
        if self.args and isinstance(self.args[0], TaskContext):
            return self.args[1:]
        return self.args

    def enqueue_next(self, exc: Exception) -> None:
        task = self.task()
        delay = self.first_delay * 2 ** (self.attempt - 1)
        deferred = task.get_backend().supports_defer and delay > timedelta(0)
        logger.warning(
            "Task %s failed on attempt %d of %d: %s; retrying %s",
            task.module_path,
            self.attempt,
            self.attempts,
            exc,
            f"in {delay}" if deferred else "now",
        )
        run_after = timezone.now() + delay if deferred else None
        dataclasses.replace(task, run_after=run_after).enqueue(
            *self.task_arguments(), attempt=self.attempt + 1, **self.kwargs
        )

    def give_up(self, exc: Exception, on_give_up: str | None) -> None:
        name = self.task().module_path
        logger.error(
            "Task %s failed on attempt %d of %d: %s; giving up",
            name,
            self.attempt,
            self.attempts,
            exc,
        )
        if on_give_up is None:
            return
        try:
            import_string(on_give_up)(*self.task_arguments(), error=str(exc), **self.kwargs)
        except Exception:
            logger.exception("on_give_up %s failed for task %s", on_give_up, name)

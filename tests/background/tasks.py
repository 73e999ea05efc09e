"""Module-level tasks and periodic jobs for tests/background/ (the task API refuses nested ones).

In-process runs record what happened in the lists below; runs in a child process leave files.
"""

import os
import time
from datetime import timedelta
from pathlib import Path

from django_tasks import task

from claims.background.retry import retrying

CALLS: list = []
GAVE_UP: list = []


@task()
def add(a: int, b: int) -> int:
    CALLS.append(("add", a, b))
    return a + b


@task(queue_name="email")
def shout(text: str) -> str:
    CALLS.append(("shout", text))
    return text.upper()


@task()
@retrying(attempts=3, first_delay=timedelta(seconds=1), on_give_up="tests.background.tasks.gave_up")
def flaky(failures: int, *, attempt: int = 1) -> int:
    """Fails on its first ``failures`` attempts, then returns the attempt that succeeded."""
    CALLS.append(("flaky", failures, attempt))
    if attempt <= failures:
        raise RuntimeError(f"failure {attempt}")
    return attempt


@task()
@retrying(attempts=2, first_delay=timedelta(0))
def flaky_without_attempt(failures: int) -> str:
    """A retrying task whose function does not take ``attempt``."""
    CALLS.append(("flaky_without_attempt", failures))
    if len([call for call in CALLS if call[0] == "flaky_without_attempt"]) <= failures:
        raise RuntimeError("not yet")
    return "done"


def gave_up(failures: int, *, error: str) -> None:
    GAVE_UP.append((failures, error))


@task()
def slow(marker: str, seconds: float) -> str:
    """Leaves ``marker`` when it starts and ``marker``.done when it ends, ``seconds`` later."""
    Path(marker).write_text("started")
    time.sleep(seconds)
    Path(marker + ".done").write_text("done")
    return "finished"


def tick() -> None:
    CALLS.append(("tick",))


def broken_job() -> None:
    CALLS.append(("broken_job",))
    raise RuntimeError("the job broke")


@task()
@retrying()
def always_fails(*, attempt: int = 1) -> None:
    """A retrying task with the decorator's defaults: five attempts, 30 s doubling."""
    raise RuntimeError(f"always, attempt {attempt}")


@task()
@retrying(attempts=1, on_give_up="tests.background.tasks.broken_give_up")
def fails_and_give_up_breaks() -> None:
    raise RuntimeError("the task broke")


def broken_give_up(*, error: str) -> None:
    GAVE_UP.append(("broken_give_up", error))
    raise LookupError("on_give_up broke too")


@task(takes_context=True)
@retrying(attempts=2, first_delay=timedelta(seconds=60))
def contextual(context, failures: int, *, attempt: int = 1) -> str:
    """A retrying task that takes the task context: its retry keeps the run's own queue."""
    CALLS.append(("contextual", context.task_result.task.queue_name, attempt))
    if attempt <= failures:
        raise RuntimeError(f"failure {attempt}")
    return context.task_result.task.queue_name


def slow_job() -> None:
    """A periodic job for child processes: like ``slow``, with its marker from TEST_MARKER."""
    marker = os.environ["TEST_MARKER"]
    Path(marker).write_text("started")
    time.sleep(float(os.environ.get("TEST_JOB_SECONDS", "1.5")))
    Path(marker + ".done").write_text("done")


@task()
def nap(seconds: float) -> int:
    """Sleeps, then says which process ran it."""
    time.sleep(seconds)
    return os.getpid()

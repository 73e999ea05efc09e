"""Periodic jobs run by the worker loop itself, hand-written because django-tasks has no
scheduler: rq's cron and rq-scheduler exist only on Redis, and the database backend has none.

``FACTCHECK_PERIODIC_JOBS`` maps a name to ``{"function": "dotted.path", "every": seconds}``.
Each worker process runs each job at its start and then whenever ``every`` seconds have passed
since that job last started in that process (kept in memory, on the monotonic clock). A job is
called with no arguments and is not enqueued: it runs in the worker, between task passes.

Several workers may run the same job at the same moment, and a restarted worker runs every job
again at once. So each job must be idempotent, and that is guaranteed by database constraints in
the job itself (one reminder per assignment and day, say, as a unique constraint the job's
insert respects), never by hoping that one worker runs. A job that raises is logged and tried
again when next due; it never stops the worker.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger("factcheck.worker")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    path: str
    function: Callable[[], object]
    every: float


def configured_jobs() -> list[PeriodicJob]:
    """The jobs of ``FACTCHECK_PERIODIC_JOBS``, each function imported; a malformed entry or a
    path that does not import is an ImproperlyConfigured error, so a worker fails at its start."""
    jobs = []
    for name, spec in getattr(settings, "FACTCHECK_PERIODIC_JOBS", {}).items():
        if not isinstance(spec, dict) or set(spec) != {"function", "every"}:
            raise ImproperlyConfigured(
                f'FACTCHECK_PERIODIC_JOBS[{name!r}] must be {{"function": "dotted.path", '
                f'"every": seconds}}, not {spec!r}.'
            )
        every = spec["every"]
        if isinstance(every, bool) or not isinstance(every, int | float) or every <= 0:
            raise ImproperlyConfigured(
                f"FACTCHECK_PERIODIC_JOBS[{name!r}]['every'] must be a number of seconds above 0."
            )
        try:
            function = import_string(spec["function"])
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"FACTCHECK_PERIODIC_JOBS[{name!r}]['function']: {exc}"
            ) from exc
        if not callable(function):
            raise ImproperlyConfigured(
                f"FACTCHECK_PERIODIC_JOBS[{name!r}]['function'] is not a function."
            )
        jobs.append(PeriodicJob(name, spec["function"], function, float(every)))
    return jobs


class PeriodicSchedule:
    """When each job last started in this process, and running those that are due."""

    def __init__(self, jobs: list[PeriodicJob], clock: Callable[[], float] = time.monotonic):
        self.jobs = jobs
        self.clock = clock
        self.last_started: dict[str, float] = {}

    def due(self) -> list[PeriodicJob]:
        now = self.clock()
        return [
            job
            for job in self.jobs
            if job.name not in self.last_started or now - self.last_started[job.name] >= job.every
        ]

    def seconds_until_due(self) -> float | None:
        """How long until the next job is due (0 if one is), or None without jobs."""
        if not self.jobs:
            return None
        if self.due():
            return 0.0
        now = self.clock()
        return min(self.last_started[job.name] + job.every - now for job in self.jobs)

    def run_due(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        """Run every due job, one after another, until ``should_stop()``; return how many ran."""
        ran = 0
        for job in self.due():
            if should_stop():
                break
            self.run(job)
            ran += 1
        return ran

    def run(self, job: PeriodicJob) -> None:
        self.last_started[job.name] = self.clock()
        started = time.monotonic()
        logger.info("Periodic job %s (%s) started", job.name, job.path)
        # As around a request: a job starts and ends on a usable connection.
        close_old_connections()
        try:
            job.function()
        except Exception:
            logger.exception(
                "Periodic job %s failed after %.2f s; next run in %g s",
                job.name,
                time.monotonic() - started,
                job.every,
            )
        else:
            logger.info("Periodic job %s finished in %.2f s", job.name, time.monotonic() - started)
        finally:
            close_old_connections()

"""One worker for whichever backend TASKS_URL picks, with the periodic jobs; hand-written because
each library's worker (db_worker, rqworker) knows only its own queue, runs no periodic jobs, and
has signal handlers that exit at once when it is idle, which would cut a periodic job short.

The loop: the periodic jobs that are due, then a pass over the queue that runs every task that
is due (django-tasks-db's Worker in batch mode, or an rq SimpleWorker in burst mode with its
scheduler, so deferred retries come due), then a wait of ``interval`` seconds at most. Tasks
run in this process, one at a time; run more workers for more at once: on PostgreSQL they
share the table through ``SELECT ... FOR UPDATE SKIP LOCKED``, on SQLite through an exclusive
transaction per claim, on Redis through rq's own queue.

SIGTERM or SIGINT asks it to stop: the task or job under way finishes, nothing new starts, and
the process exits 0. A second signal interrupts the task under way (which is then FAILED).
"""

import logging
import math
import os
import signal
import socket
import threading
from collections.abc import Callable

import django_rq
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.signals import task_finished, task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_rq.backend import Job, RQBackend
from rq import SimpleWorker

from claims.background.config import QUEUES
from claims.background.periodic import PeriodicSchedule, configured_jobs

logger = logging.getLogger("factcheck.worker")

# After a pass fails (the database or Redis is away), wait at least this long before the next.
ERROR_PAUSE = 5.0


def run_worker(*, once: bool = False, interval: float = 1.0) -> None:
    """Run queued tasks and periodic jobs until SIGTERM or SIGINT, logging what it does on
    ``factcheck.worker``. With ``once``: the due periodic jobs (all of them, as at any start),
    then every task that is queued and due, then return."""
    if not (math.isfinite(interval) and interval > 0):
        raise ValueError("The worker's interval must be a number of seconds above 0.")
    worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}"
    schedule = PeriodicSchedule(configured_jobs())
    queue = queue_for(task_backends[DEFAULT_TASK_BACKEND_ALIAS], worker_id)
    with StopSignals(on_first=queue.stop) as stop:
        logger.info(
            "Worker %s started: %s; periodic jobs: %s",
            worker_id,
            queue.description,
            ", ".join(f"{job.name} every {job.every:g} s" for job in schedule.jobs) or "none",
        )
        try:
            _loop(schedule, queue, stop, once=once, interval=interval)
        finally:
            reason = f" on {stop.signal_name}" if stop.requested else ""
            logger.info("Worker %s stopped%s", worker_id, reason)


def set_log_verbosity(verbosity: int) -> None:
    """Levels of the background loggers (settings.BACKGROUND_LOGGERS) for ``-v``: 0 shows
    warnings only, 1 the settings' levels, 2 and more also the libraries' own chatter."""
    for name, level in settings.BACKGROUND_LOGGERS.items():
        if verbosity == 0:
            level = "WARNING"
        elif verbosity >= 2:
            level = "DEBUG" if name.startswith("factcheck") else "INFO"
        logging.getLogger(name).setLevel(level)


def _loop(schedule, queue, stop, *, once: bool, interval: float) -> None:
    while not stop.requested:
        schedule.run_due(should_stop=lambda: stop.requested)
        if stop.requested:
            return
        try:
            queue.run_pass()
        except Exception:
            if once:
                raise
            pause = max(interval, ERROR_PAUSE)
            logger.exception("The pass over the queue failed; trying again in %g s", pause)
            stop.wait(pause)
            continue
        if once:
            return
        until_job = schedule.seconds_until_due()
        stop.wait(interval if until_job is None else min(interval, until_job))


class StopSignals:
    """SIGTERM and SIGINT while it is entered: the first sets ``requested`` (and calls
    ``on_first``, so a pass under way ends after its task); the second raises SystemExit."""

    def __init__(self, on_first: Callable[[], None]):
        self.on_first = on_first
        self.event = threading.Event()
        self.signal_name = ""
        self.previous: dict[int, object] = {}

    @property
    def requested(self) -> bool:
        return self.event.is_set()

    def wait(self, seconds: float) -> None:
        self.event.wait(seconds)

    def __enter__(self) -> "StopSignals":
        for signum in (signal.SIGTERM, signal.SIGINT):
            self.previous[signum] = signal.signal(signum, self.handle)
        return self

    def __exit__(self, *exc_info) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def handle(self, signum: int, frame) -> None:
        name = signal.Signals(signum).name
        if self.requested:
            logger.warning("Second %s: stopping now, interrupting what runs", name)
            raise SystemExit(1)
        self.signal_name = name
        logger.info("%s: stopping once the task or job under way finishes", name)
        self.event.set()
        self.on_first()


def queue_for(backend: BaseTaskBackend, worker_id: str):
    """The queue runner for ``backend``: its tasks wait in the database, in Redis, or nowhere."""
    if isinstance(backend, DatabaseBackend):
        return DatabaseQueue(backend, worker_id)
    if isinstance(backend, RQBackend):
        return RedisQueue(backend, worker_id)
    if isinstance(backend, ImmediateBackend | DummyBackend):
        return NoQueue(backend)
    raise ImproperlyConfigured(f"run_worker does not know the task backend {type(backend)!r}.")


def _queue_names(backend: BaseTaskBackend) -> list[str]:
    """The backend's queues in QUEUES order (rq polls them in this order), then any others."""
    return [name for name in QUEUES if name in backend.queues] + sorted(
        set(backend.queues) - set(QUEUES)
    )


class NoQueue:
    """The immediate backend ran each task inside enqueue(): only periodic jobs are left."""

    def __init__(self, backend: BaseTaskBackend):
        self.description = f"{type(backend).__name__} (tasks run when enqueued; no queue)"

    def run_pass(self) -> None:
        pass

    def stop(self) -> None:
        pass


class DatabaseQueue:
    """django-tasks-db's Worker, one batch pass (every due task, then return) at a time."""

    def __init__(self, backend: BaseTaskBackend, worker_id: str):
        self.alias = backend.alias
        self.queue_names = _queue_names(backend) or ["*"]
        self.worker_id = worker_id
        self.description = f"database queues {', '.join(self.queue_names)}"
        self.current = None
        self.stopping = False

    def run_pass(self) -> None:
        self.current = DatabaseWorker(
            queue_names=self.queue_names,
            interval=0,
            batch=True,
            backend_name=self.alias,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        try:
            if not self.stopping:  # a signal may have come before the Worker existed
                self.current.run()
        finally:
            self.current = None

    def stop(self) -> None:
        self.stopping = True
        if self.current is not None:
            self.current.running = False  # the Worker's loop ends after the task under way


class PassWorker(SimpleWorker):
    """rq's in-process worker without its signal handlers: run_worker's StopSignals decide."""

    def _install_signal_handlers(self) -> None:
        pass


class RedisQueue:
    """An rq SimpleWorker in burst passes with its scheduler, so deferred tasks come due.

    SimpleWorker runs each job in this process, like the database worker, so one signal handler
    governs both and the periodic jobs share its Django setup; rq's own handlers are left out.
    """

    def __init__(self, backend: BaseTaskBackend, worker_id: str):
        queue_names = _queue_names(backend)
        self.worker = django_rq.get_worker(
            *queue_names, worker_class=PassWorker, job_class=Job, name=worker_id
        )
        self.description = f"Redis queues {', '.join(queue_names)}"

    def run_pass(self) -> None:
        # Tasks run back to back in this process; as around requests, each starts and ends on
        # a usable database connection.
        task_started.connect(close_old_connections, dispatch_uid="factcheck.worker.started")
        task_finished.connect(close_old_connections, dispatch_uid="factcheck.worker.finished")
        try:
            self.worker.work(burst=True, with_scheduler=True)
        finally:
            task_started.disconnect(dispatch_uid="factcheck.worker.started")
            task_finished.disconnect(dispatch_uid="factcheck.worker.finished")

    def stop(self) -> None:
        # rq's own warm shutdown sets this flag too; its loop reads it before the next job.
        self.worker._stop_requested = True

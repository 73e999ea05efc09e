"""run_worker in this process: real passes over the database queue and over Redis, with the
periodic jobs. The worker commits as a real one does, so these tests use transactional_db
(inside a TestCase on PostgreSQL, the worker's close_old_connections() would close the test's
connection)."""

import math
import signal
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_rq import get_queue
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult
from rq.registry import ScheduledJobRegistry

from claims.background import worker
from claims.background.periodic import PeriodicSchedule
from claims.background.worker import StopSignals, run_worker
from tests.background.tasks import CALLS, GAVE_UP, add, contextual, flaky, shout

TICK = {"tick": {"function": "tests.background.tasks.tick", "every": 3600}}


def worker_messages(logs) -> list[str]:
    return [r.getMessage() for r in logs.records if r.name == "factcheck.worker"]


def run_once():
    call_command("run_worker", once=True)


@pytest.mark.django_db(transaction=True)
def test_once_runs_the_periodic_jobs_then_every_queued_task(
    database_backend, settings, background_logs
):
    settings.FACTCHECK_PERIODIC_JOBS = TICK
    added = add.enqueue(2, 3)
    shouted = shout.enqueue("checked")
    run_once()
    assert CALLS == [("tick",), ("add", 2, 3), ("shout", "checked")]
    added.refresh()
    shouted.refresh()
    assert (added.status, added.return_value) == (TaskResultStatus.SUCCESSFUL, 5)
    assert (shouted.status, shouted.return_value) == (TaskResultStatus.SUCCESSFUL, "CHECKED")
    messages = worker_messages(background_logs)
    assert messages[0].startswith("Worker ")
    assert messages[0].endswith(
        " started: database queues default, email; periodic jobs: tick every 3600 s"
    )
    assert messages[1] == "Periodic job tick (tests.background.tasks.tick) started"
    assert messages[2].startswith("Periodic job tick finished in ")
    assert messages[-1].endswith(" stopped")
    task_lines = [r.getMessage() for r in background_logs.records if r.name == "django_tasks"]
    assert f"Task id={added.id} path=tests.background.tasks.add state=SUCCESSFUL" in task_lines


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_in_the_table_until_due(database_backend):
    flaky.enqueue(1)
    before = timezone.now()
    run_once()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == {"args": [1], "kwargs": {"attempt": 2}}
    assert before + timedelta(seconds=1) <= retry.run_after <= timezone.now() + timedelta(seconds=1)
    run_once()  # not due yet: the pass leaves it
    assert [call[2] for call in CALLS] == [1]
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_once()
    retry.refresh_from_db()
    assert (retry.status, retry.return_value) == ("SUCCESSFUL", 2)
    assert [call[2] for call in CALLS] == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_the_last_attempt_fails_the_task_and_gives_up(database_backend):
    first = flaky.enqueue(5)
    for _ in range(3):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_once()
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]  # two retried, one gave up
    assert DBTaskResult.objects.get(status="FAILED").exception_class_path == "builtins.RuntimeError"
    assert GAVE_UP == [(5, "failure 3")]
    first.refresh()
    assert first.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_a_retry_keeps_the_queue_its_run_was_given(database_backend):
    contextual.using(queue_name="email").enqueue(1)
    run_once()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.queue_name == "email"
    assert retry.run_after - timezone.now() > timedelta(seconds=55)


@pytest.mark.django_db(transaction=True)
def test_a_broken_periodic_job_does_not_stop_the_worker(
    database_backend, settings, background_logs
):
    settings.FACTCHECK_PERIODIC_JOBS = {
        "broken": {"function": "tests.background.tasks.broken_job", "every": 60},
        **TICK,
    }
    result = add.enqueue(1, 1)
    run_once()
    assert CALLS == [("broken_job",), ("tick",), ("add", 1, 1)]
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert worker_messages(background_logs)[-1].endswith(" stopped")


@pytest.mark.django_db(transaction=True)
def test_on_the_immediate_backend_it_runs_only_the_periodic_jobs(settings, background_logs):
    settings.FACTCHECK_PERIODIC_JOBS = TICK
    run_worker(once=True)
    assert CALLS == [("tick",)]
    assert (
        "ImmediateBackend (tasks run when enqueued; no queue)"
        in worker_messages(background_logs)[0]
    )


def test_a_first_signal_asks_to_stop_a_second_stops_at_once_and_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM)
    asked = []
    with StopSignals(on_first=lambda: asked.append(True)) as stop:
        assert not stop.requested
        signal.raise_signal(signal.SIGTERM)
        assert stop.requested
        assert asked == [True]
        assert stop.signal_name == "SIGTERM"
        started = time.monotonic()
        stop.wait(30)  # already set: no wait
        assert time.monotonic() - started < 1
        with pytest.raises(SystemExit) as exit_:
            signal.raise_signal(signal.SIGINT)
        assert exit_.value.code == 1
    assert signal.getsignal(signal.SIGTERM) is before


class FailingOnceQueue:
    """A queue whose first pass fails (its server is away) and whose second asks to stop."""

    def __init__(self, stop: StopSignals):
        self.stop_signals = stop
        self.passes = 0

    def run_pass(self):
        self.passes += 1
        if self.passes == 1:
            raise ConnectionError("Redis is away")
        self.stop_signals.event.set()


def test_a_failed_pass_is_logged_and_tried_again(monkeypatch, background_logs):
    monkeypatch.setattr(worker, "ERROR_PAUSE", 0.01)
    stop = StopSignals(on_first=lambda: None)
    queue = FailingOnceQueue(stop)
    worker._loop(PeriodicSchedule([]), queue, stop, once=False, interval=0.01)
    assert queue.passes == 2
    assert "The pass over the queue failed; trying again in 0.01 s" in worker_messages(
        background_logs
    )
    fresh = StopSignals(on_first=lambda: None)
    with pytest.raises(ConnectionError):  # --once says so in its exit status
        worker._loop(PeriodicSchedule([]), FailingOnceQueue(fresh), fresh, once=True, interval=1)


@pytest.mark.parametrize("interval", [0, -1, float("nan"), float("inf")])
def test_the_interval_must_be_positive(interval):
    with pytest.raises(ValueError, match="above 0"):
        run_worker(interval=interval)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_rq_worker_runs_tasks_from_redis(rq_backend, settings, background_logs):
    settings.FACTCHECK_PERIODIC_JOBS = TICK
    added = add.enqueue(2, 3)
    shouted = shout.enqueue("checked")
    run_once()
    assert CALLS == [("tick",), ("add", 2, 3), ("shout", "checked")]
    backend = task_backends["default"]
    assert backend.get_result(added.id).return_value == 5
    assert backend.get_result(shouted.id).return_value == "CHECKED"
    assert worker_messages(background_logs)[0].endswith(
        " started: Redis queues default, email; periodic jobs: tick every 3600 s"
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_rq_worker_runs_a_deferred_retry_once_due(rq_backend):
    first = flaky.enqueue(1)
    before = time.time()
    run_once()
    backend = task_backends["default"]
    assert backend.get_result(first.id).status == TaskResultStatus.SUCCESSFUL  # it re-enqueued
    registry = ScheduledJobRegistry(queue=get_queue("default"))
    [retry_id] = registry.get_job_ids()
    due = registry.get_scheduled_time(retry_id).timestamp()
    assert math.floor(before + 1) <= due <= time.time() + 1  # rq keeps whole seconds
    # Move the retry's time rather than sleep: rq rounds it down to the second.
    rq_backend.zadd(registry.key, {retry_id: time.time() + 60})
    run_once()
    assert [call[2] for call in CALLS] == [1]  # not due: the scheduler left it
    rq_backend.zadd(registry.key, {retry_id: time.time() - 1})
    run_once()
    assert [call[2] for call in CALLS] == [1, 2]
    retry = backend.get_result(retry_id)
    assert (retry.status, retry.return_value) == (TaskResultStatus.SUCCESSFUL, 2)
    assert retry.kwargs == {"attempt": 2}

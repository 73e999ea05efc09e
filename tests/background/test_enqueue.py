"""enqueue_on_commit: nothing is enqueued for a write that rolled back, on every backend."""

import datetime

import pytest
from django.db import transaction
from django_tasks.exceptions import InvalidTaskError
from django_tasks_db.models import DBTaskResult

from claims.background.config import tasks_settings
from claims.background.enqueue import enqueue_on_commit
from tests.background.tasks import CALLS, add, shout


class Rollback(Exception):
    pass


def rolled_back(callback):
    """Run ``callback`` in a transaction that then rolls back."""
    try:
        with transaction.atomic():
            callback()
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
def test_database_backend_enqueues_nothing_for_a_rolled_back_write(database_backend):
    rolled_back(lambda: enqueue_on_commit(add, 2, 3))
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_database_backend_enqueues_at_commit_not_before(
    database_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(shout, "checked")
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    row = DBTaskResult.objects.get()
    assert (row.status, row.queue_name, row.task_path) == (
        "READY",
        "email",
        "tests.background.tasks.shout",
    )
    assert row.args_kwargs == {"args": ["checked"], "kwargs": {}}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_enqueues_at_once(database_backend):
    enqueue_on_commit(add, 2, b=3)
    assert DBTaskResult.objects.get().args_kwargs == {"args": [2], "kwargs": {"b": 3}}


@pytest.mark.django_db
def test_immediate_backend_runs_the_task_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(add, 2, 3)
        assert CALLS == []
    assert CALLS == [("add", 2, 3)]
    rolled_back(lambda: enqueue_on_commit(add, 4, 5))
    assert CALLS == [("add", 2, 3)]


@pytest.mark.django_db
def test_mistakes_in_the_call_raise_in_the_caller(database_backend):
    with pytest.raises(TypeError, match="Unsupported type"):
        enqueue_on_commit(add, datetime.date(2026, 1, 1), 3)
    with pytest.raises(InvalidTaskError):
        enqueue_on_commit(add.using(queue_name="nowhere"), 1, 2)


@pytest.mark.django_db
def test_a_failure_to_enqueue_after_the_commit_is_logged_not_raised(
    settings, django_capture_on_commit_callbacks, background_logs
):
    for name, value in tasks_settings("redis://127.0.0.1:1/0").items():  # nothing listens there
        setattr(settings, name, value)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(add, 2, 3)
    [record] = [r for r in background_logs.records if r.name == "factcheck.tasks"]
    assert record.levelname == "ERROR"
    assert record.getMessage() == ("Could not enqueue task tests.background.tasks.add after commit")


def rq_keys(connection) -> list[bytes]:
    return sorted(key for key in connection.keys("rq:*") if not key.startswith(b"rq:worker"))


@pytest.mark.redis
@pytest.mark.django_db
def test_rq_backend_pushes_nothing_to_redis_for_a_rolled_back_write(rq_backend):
    rolled_back(lambda: enqueue_on_commit(add, 2, 3))
    assert rq_keys(rq_backend) == []


@pytest.mark.redis
@pytest.mark.django_db
def test_rq_backend_pushes_the_job_at_commit(rq_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(shout, "checked")
        assert rq_keys(rq_backend) == []
    assert rq_backend.llen("rq:queue:email") == 1
    assert rq_backend.llen("rq:queue:default") == 0

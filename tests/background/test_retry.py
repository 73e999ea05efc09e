"""retrying: retries with doubling delays, then gives up, tells on_give_up and fails."""

import datetime
from datetime import timedelta
from unittest import mock

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from claims.background.retry import retrying
from tests.background.tasks import (
    CALLS,
    GAVE_UP,
    always_fails,
    fails_and_give_up_breaks,
    flaky,
    flaky_without_attempt,
)


def messages(logs, name="factcheck.tasks"):
    return [(r.levelname, r.getMessage()) for r in logs.records if r.name == name]


def test_a_task_failing_twice_then_succeeding_runs_three_times(background_logs):
    # The immediate backend cannot defer: each retry runs at once, inside the enqueue.
    result = flaky.enqueue(2)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert CALLS == [("flaky", 2, 1), ("flaky", 2, 2), ("flaky", 2, 3)]
    assert GAVE_UP == []
    assert messages(background_logs) == [
        (
            "WARNING",
            "Task tests.background.tasks.flaky failed on attempt 1 of 3: failure 1; retrying now",
        ),
        (
            "WARNING",
            "Task tests.background.tasks.flaky failed on attempt 2 of 3: failure 2; retrying now",
        ),
    ]


def test_after_the_last_attempt_it_calls_on_give_up_and_fails(background_logs):
    flaky.enqueue(5)
    assert [call[2] for call in CALLS] == [1, 2, 3]
    assert GAVE_UP == [(5, "failure 3")]
    assert messages(background_logs)[-1] == (
        "ERROR",
        "Task tests.background.tasks.flaky failed on attempt 3 of 3: failure 3; giving up",
    )
    # The last attempt raises, so its task result is FAILED.
    with pytest.raises(RuntimeError, match="failure 3"):
        flaky.call(5, attempt=3)


def test_the_function_gets_attempt_only_if_it_takes_it():
    assert flaky_without_attempt.enqueue(1).status == TaskResultStatus.SUCCESSFUL
    assert CALLS == [("flaky_without_attempt", 1), ("flaky_without_attempt", 1)]


def test_a_failing_on_give_up_is_logged_and_the_task_still_fails(background_logs):
    with pytest.raises(RuntimeError, match="the task broke"):
        fails_and_give_up_breaks.call()
    assert GAVE_UP == [("broken_give_up", "the task broke")]
    assert messages(background_logs)[-1] == (
        "ERROR",
        "on_give_up tests.background.tasks.broken_give_up failed for task "
        "tests.background.tasks.fails_and_give_up_breaks",
    )


@pytest.mark.django_db
def test_the_delays_double_from_first_delay(database_backend, background_logs):
    now = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=now):
        for attempt in range(1, 5):
            always_fails.call(attempt=attempt)
        with pytest.raises(RuntimeError, match="always, attempt 5"):
            always_fails.call(attempt=5)
    retries = DBTaskResult.objects.order_by("run_after")
    assert [(row.run_after - now, row.args_kwargs["kwargs"]) for row in retries] == [
        (timedelta(seconds=30), {"attempt": 2}),
        (timedelta(seconds=60), {"attempt": 3}),
        (timedelta(seconds=120), {"attempt": 4}),
        (timedelta(seconds=240), {"attempt": 5}),
    ]
    assert {row.status for row in retries} == {"READY"}
    assert [message for _, message in messages(background_logs)][:2] == [
        "Task tests.background.tasks.always_fails failed on attempt 1 of 5: always, attempt 1; "
        "retrying in 0:00:30",
        "Task tests.background.tasks.always_fails failed on attempt 2 of 5: always, attempt 2; "
        "retrying in 0:01:00",
    ]


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"attempts": 0}, "at least one attempt"),
        ({"first_delay": timedelta(seconds=-1)}, "first_delay of zero or more"),
        ({"on_give_up": "gave_up"}, "dotted path"),
    ],
)
def test_retrying_refuses_options_that_make_no_sense(options, error):
    with pytest.raises(ValueError, match=error):
        retrying(**options)


def test_retrying_refuses_coroutines():
    async def coroutine():
        pass

    with pytest.raises(TypeError, match="not coroutines"):
        retrying()(coroutine)

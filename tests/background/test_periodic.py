"""Periodic jobs: the setting's shape, when each job is due, and a job that raises."""

from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

from claims.background.periodic import PeriodicSchedule, configured_jobs
from tests.background import tasks
from tests.background.tasks import CALLS


@pytest.fixture(autouse=True)
def no_connection_checks():
    """These jobs touch no database; test_worker.py runs jobs with the connection handling."""
    with mock.patch("claims.background.periodic.close_old_connections"):
        yield


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def schedule_of(settings, jobs: dict, clock) -> PeriodicSchedule:
    settings.FACTCHECK_PERIODIC_JOBS = jobs
    return PeriodicSchedule(configured_jobs(), clock=clock)


def test_the_desks_jobs_by_default_and_none_when_none_are_set(settings):
    assert [(job.name, job.path) for job in configured_jobs()] == [
        ("reminders", "claims.notifications.reminders.send_reminders"),
        ("digests", "claims.notifications.digest.send_digests"),
        ("audit_checkpoint", "claims.audit.checkpoints.periodic_checkpoint"),
    ]
    settings.FACTCHECK_PERIODIC_JOBS = {}
    assert configured_jobs() == []
    assert PeriodicSchedule([]).seconds_until_due() is None


def test_every_job_runs_at_the_start_then_when_due(settings):
    clock = Clock()
    schedule = schedule_of(
        settings,
        {
            "tick": {"function": "tests.background.tasks.tick", "every": 60},
            "slow tick": {"function": "tests.background.tasks.tick", "every": 90.5},
        },
        clock,
    )
    assert [job.name for job in schedule.jobs] == ["tick", "slow tick"]
    assert schedule.jobs[0].function is tasks.tick
    assert schedule.run_due() == 2
    assert schedule.seconds_until_due() == 60
    clock.now += 59.9
    assert schedule.run_due() == 0
    clock.now += 0.1
    assert [job.name for job in schedule.due()] == ["tick"]
    assert schedule.run_due() == 1
    assert schedule.seconds_until_due() == pytest.approx(30.5)
    clock.now += 30.5
    assert [job.name for job in schedule.due()] == ["slow tick"]
    assert CALLS == [("tick",)] * 3


def test_a_job_that_raises_is_logged_and_the_others_still_run(settings, background_logs):
    schedule = schedule_of(
        settings,
        {
            "broken": {"function": "tests.background.tasks.broken_job", "every": 5},
            "tick": {"function": "tests.background.tasks.tick", "every": 5},
        },
        Clock(),
    )
    assert schedule.run_due() == 2
    assert CALLS == [("broken_job",), ("tick",)]
    failure = next(r for r in background_logs.records if r.levelname == "ERROR")
    assert failure.getMessage().startswith("Periodic job broken failed after ")
    assert failure.getMessage().endswith("; next run in 5 s")
    assert "RuntimeError: the job broke" in background_logs.text
    assert schedule.seconds_until_due() == 5  # tried again when next due, like any job


def test_run_due_stops_between_jobs_when_asked(settings):
    schedule = schedule_of(
        settings,
        {
            "first": {"function": "tests.background.tasks.tick", "every": 5},
            "second": {"function": "tests.background.tasks.tick", "every": 5},
        },
        Clock(),
    )
    assert schedule.run_due(should_stop=lambda: len(CALLS) == 1) == 1
    assert [job.name for job in schedule.due()] == ["second"]


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("tests.background.tasks.tick", "must be {"),
        ({"function": "tests.background.tasks.tick"}, "must be {"),
        ({"function": "tests.background.tasks.tick", "every": 5, "at": "9:00"}, "must be {"),
        ({"function": "tests.background.tasks.tick", "every": 0}, "above 0"),
        ({"function": "tests.background.tasks.tick", "every": "60"}, "above 0"),
        ({"function": "tests.background.tasks.tick", "every": True}, "above 0"),
        ({"function": "tests.background.tasks.nothing", "every": 5}, "does not define"),
        ({"function": "nothing", "every": 5}, "doesn't look like a module path"),
    ],
)
def test_a_malformed_job_is_refused_by_name(settings, spec, says):
    settings.FACTCHECK_PERIODIC_JOBS = {"reminders": spec}
    with pytest.raises(ImproperlyConfigured) as error:
        configured_jobs()
    assert str(error.value).startswith("FACTCHECK_PERIODIC_JOBS['reminders']")
    assert says in str(error.value)

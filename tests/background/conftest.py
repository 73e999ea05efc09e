"""Fixtures of the background tests: their test tasks' records, and the logs. (A backend per
test and the Redis it needs are in tests/conftest.py: the notification tests use them too.)"""

import logging

import pytest

from tests.background import tasks


@pytest.fixture(autouse=True)
def forget_calls():
    tasks.CALLS.clear()
    tasks.GAVE_UP.clear()
    yield
    tasks.CALLS.clear()
    tasks.GAVE_UP.clear()


@pytest.fixture(autouse=True)
def background_logs(caplog):
    """caplog, also for the background loggers, which do not propagate (settings.LOGGING)."""
    loggers = [logging.getLogger(name) for name in ("factcheck", "django_tasks")]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO)
    yield caplog
    for logger in loggers:
        logger.removeHandler(caplog.handler)

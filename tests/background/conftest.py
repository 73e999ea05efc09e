"""Fixtures of the background tests: a backend per test, the Redis they need, the logs."""

import logging
import os

import pytest
import redis

from claims.background.config import tasks_settings
from tests.background import tasks

REDIS_URL = os.environ.get("FACTCHECK_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


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


@pytest.fixture
def database_backend(settings):
    """Tasks wait in the test database (django-tasks-db), as with TASKS_URL=database."""
    settings.TASKS = tasks_settings("database")["TASKS"]


@pytest.fixture
def redis_connection():
    """The tests' Redis database, emptied before and after; unreachable Redis fails the test."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({exc}). Tests marked 'redis' need it: "
            "start it with 'redis-server --daemonize yes' (python3 dev.py test does), or point "
            "FACTCHECK_TEST_REDIS_URL at one.",
            pytrace=False,
        )
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def rq_backend(settings, redis_connection):
    """Tasks wait in Redis (django-tasks-rq), as with TASKS_URL=redis://..."""
    for name, value in tasks_settings(REDIS_URL).items():
        setattr(settings, name, value)
    return redis_connection

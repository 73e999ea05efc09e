"""TASKS_URL and EMAIL_URL: every accepted form, the errors, and the settings they make."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from claims.background.config import QUEUES, email_settings, tasks_settings

ROOT = Path(__file__).resolve().parent.parent.parent


def test_database_is_django_tasks_db_with_both_queues():
    backend = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    assert tasks_settings("database") == {"TASKS": {"default": backend}}


def test_immediate_runs_tasks_inside_enqueue():
    backend = tasks_settings("immediate")["TASKS"]["default"]
    assert backend == {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": QUEUES,
    }


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/3", "redis://:secret@cache.internal:6380/0", "rediss://r/1"]
)
def test_redis_is_rq_with_every_queue_on_that_redis(url):
    assert tasks_settings(url) == {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": QUEUES}},
        "RQ_QUEUES": {"default": {"URL": url}, "email": {"URL": url}},
        "RQ": {"JOB_CLASS": "django_tasks_rq.Job"},
    }


@pytest.mark.parametrize(
    "url",
    ["", "db", "Database", "postgres://localhost/x", "redis://", "redis://h/x", "redis://h:p/1"],
)
def test_a_tasks_url_not_understood_names_the_accepted_forms(url):
    with pytest.raises(ImproperlyConfigured) as error:
        tasks_settings(url)
    assert repr(url) in str(error.value)
    assert "'database', 'immediate' or 'redis://host:port/db'" in str(error.value)


def test_smtp_url_gives_host_port_and_url_decoded_credentials():
    assert email_settings("smtp://desk%40example.org:p%3Ass%2Fw0rd@mail.example.org:2525") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "desk@example.org",
        "EMAIL_HOST_PASSWORD": "p:ss/w0rd",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


@pytest.mark.parametrize(
    ("url", "port", "starttls", "implicit_tls"),
    [
        ("smtp://localhost", 25, False, False),
        ("smtp://localhost?starttls=true", 587, True, False),
        ("smtp://localhost:25?starttls=true", 25, True, False),
        ("smtp://localhost?starttls=false", 25, False, False),
        ("smtp+tls://localhost", 587, True, False),
        ("smtps://localhost", 465, False, True),
        ("smtps://localhost:1465", 1465, False, True),
    ],
)
def test_smtp_tls_modes_and_their_default_ports(url, port, starttls, implicit_tls):
    config = email_settings(url)
    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (
        port,
        starttls,
        implicit_tls,
    )
    assert config["EMAIL_HOST_USER"] == config["EMAIL_HOST_PASSWORD"] == ""


def test_smtp_timeout_comes_from_the_query():
    assert email_settings("smtp://localhost?timeout=5")["EMAIL_TIMEOUT"] == 5.0


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console:", "django.core.mail.backends.console.EmailBackend"),
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("memory:", "django.core.mail.backends.locmem.EmailBackend"),
    ],
)
def test_console_and_memory(url, backend):
    assert email_settings(url) == {"EMAIL_BACKEND": backend}


def test_file_url_names_the_folder():
    assert email_settings("file:///var/spool/factcheck%20mail") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/spool/factcheck mail",
    }


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "is not understood"),
        ("pigeon://loft", "is not understood"),
        ("smtp://", "is not understood"),
        ("file://relative/folder", "is not understood"),
        ("console:stdout", "is not understood"),
        ("smtp://localhost?tls=yes", "unknown options ['tls']"),
        ("smtp://localhost?starttls=maybe", "starttls must be true or false"),
        ("smtps://localhost?starttls=true", "both STARTTLS and implicit TLS"),
        ("smtp://localhost:port", "not a number"),
        ("smtp://localhost?timeout=soon", "not a number"),
    ],
)
def test_an_email_url_not_understood_is_refused(url, says):
    with pytest.raises(ImproperlyConfigured) as error:
        email_settings(url)
    assert says in str(error.value)
    assert repr(url) in str(error.value)
    if says == "is not understood":
        assert "'smtp://user:password@host:port'" in str(error.value)


def settings_of(*expressions, **env):
    """The production settings' ``expressions`` (of ``s``, the settings) in a fresh process
    with ``env``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TASKS_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL", "FACTCHECK_SITE_URL"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="factcheck.settings", SECRET_KEY="k" * 50, **env)
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr({expression}))" for expression in expressions
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout.splitlines(), result


def test_production_defaults_are_the_database_queue_and_local_smtp():
    values, result = settings_of(
        "s.TASKS['default']['BACKEND']",
        "s.EMAIL_BACKEND",
        "s.EMAIL_HOST",
        "s.EMAIL_PORT",
        "s.DEFAULT_FROM_EMAIL",
        "s.FACTCHECK_SITE_URL",
        "'django_rq' in s.INSTALLED_APPS",
        DJANGO_DEBUG="false",
    )
    assert values == [
        "'django_tasks_db.DatabaseBackend'",
        "'django.core.mail.backends.smtp.EmailBackend'",
        "'localhost'",
        "25",
        "'factcheck <factcheck@localhost>'",
        "'http://127.0.0.1:8000'",
        "False",
    ], result.stderr


def test_debug_prints_mail_and_the_environment_overrides_every_default():
    values, result = settings_of(
        "s.EMAIL_BACKEND", DJANGO_DEBUG="true", DEFAULT_FROM_EMAIL="Desk <desk@example.org>"
    )
    assert values == ["'django.core.mail.backends.console.EmailBackend'"], result.stderr
    values, result = settings_of(
        "s.TASKS['default']['BACKEND']",
        "s.RQ_QUEUES['email']",
        "'django_rq' in s.INSTALLED_APPS",
        "s.DEFAULT_FROM_EMAIL",
        "s.FACTCHECK_SITE_URL",
        DJANGO_DEBUG="true",
        TASKS_URL="redis://127.0.0.1:6379/5",
        DEFAULT_FROM_EMAIL="Desk <desk@example.org>",
        FACTCHECK_SITE_URL="https://desk.example.org/",
    )
    assert values == [
        "'django_tasks_rq.RQBackend'",
        "{'URL': 'redis://127.0.0.1:6379/5'}",
        "True",
        "'Desk <desk@example.org>'",
        "'https://desk.example.org'",
    ], result.stderr


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"TASKS_URL": "rabbit://x"}, "TASKS_URL='rabbit://x' is not understood"),
        ({"EMAIL_URL": "smtp:/"}, "EMAIL_URL='smtp:/' is not understood"),
        ({"FACTCHECK_SITE_URL": "desk.example.org"}, "FACTCHECK_SITE_URL must start with http"),
    ],
)
def test_a_bad_value_stops_the_settings_with_its_name(env, says):
    _, result = settings_of("s.DEBUG", DJANGO_DEBUG="true", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert says in result.stderr

"""Configuration from the environment: production settings pass the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# Each test sets these itself. DJANGO_ALLOW_ASYNC_UNSAFE is there for the browser tests
# (tests/conftest.py) and is never a production value: the deploy check refuses it (async.E001);
# TASKS_URL, EMAIL_URL and FACTCHECK_REQUIRE_2FA are the test settings' defaults
# (tests/settings.py), not production's.
NOT_INHERITED = {
    "SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_HTTPS",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "TASKS_URL",
    "EMAIL_URL",
    "FACTCHECK_REQUIRE_2FA",
    "DJANGO_HSTS_PRELOAD",
}


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    environment.update(DJANGO_SETTINGS_MODULE="factcheck.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "rod-Xq9!vB2#kL7@wN4$zR8%tY6^mH3&jF5",
    "ALLOWED_HOSTS": "factcheck.example.org",
}


@pytest.mark.parametrize("preload", ["", "true"], ids=["hsts", "hsts-preload"])
def test_deploy_checks_pass_with_production_values(preload):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DJANGO_HSTS_PRELOAD=preload
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def hsts_header(**env) -> str:
    """The Strict-Transport-Security header of an HTTPS answer under these settings."""
    script = (
        "from django.test import Client; "
        "print(Client(HTTP_HOST='factcheck.example.org').get('/', secure=True)"
        ".headers['Strict-Transport-Security'])"
    )
    result = manage("shell", "--no-imports", "-c", script, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_asks_for_preloading_only_when_told_to():
    assert hsts_header() == "max-age=31536000; includeSubDomains"
    assert hsts_header(DJANGO_HSTS_PRELOAD="false") == "max-age=31536000; includeSubDomains"
    assert hsts_header(DJANGO_HSTS_PRELOAD="true") == "max-age=31536000; includeSubDomains; preload"


def test_production_without_a_secret_key_refuses_to_start():
    result = manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/claims/1/", "/admin/"])
def test_every_page_but_login_requires_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_login_page_is_public_and_protected_by_csrf(client):
    from django.test import Client

    assert client.get("/login/").status_code == 200
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403

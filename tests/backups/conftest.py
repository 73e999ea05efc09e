"""A second, empty database to restore into, and manage.py run against it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(database_url: str, *args, check: bool = True, stdin: str = "", **env) -> str:
    """Run manage.py against ``database_url`` in a process of its own; its output."""
    child_env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "true", **env}
    child_env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if check and result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a database with no tables, of the engine the tests run on: a new SQLite
    file, or a PostgreSQL database made for the test and dropped after it."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    server = f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT']}"
    name = f"restored_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""manage.py run_worker as a process: SIGTERM lets the task or job under way finish, then the
worker exits 0 and says it stopped. The child cannot see a test's transaction, so it works on a
database of its own on SQLite (a migrated file) or on the live test database on PostgreSQL."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.background.tasks import slow
from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parent.parent.parent


def child_env(database_url: str, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.background.worker_settings",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def start_worker(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(path: Path, worker: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"{path.name} never appeared; the worker said:\n{worker.communicate()[0]}")
        time.sleep(0.05)


def stop(worker: subprocess.Popen) -> tuple[int, str]:
    worker.send_signal(signal.SIGTERM)
    try:
        output, _ = worker.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        pytest.fail(f"the worker did not stop on SIGTERM:\n{worker.communicate()[0]}")
    return worker.returncode, output


@pytest.fixture
def child_database(transactional_db, tmp_path) -> str:
    """A database the child processes share: on PostgreSQL the live test database (committed
    rows, transactional_db), on SQLite a file migrated for them."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    manage("migrate", "--no-input", "-v", "0", env=child_env(url))
    return url


def test_sigterm_during_a_task_lets_it_finish_then_exits_0(child_database, tmp_path):
    env = child_env(child_database, TASKS_URL="database")
    marker = tmp_path / "task"
    result_id = manage(
        "shell",
        "-v",
        "0",
        "-c",
        f"from tests.background.tasks import slow; print(slow.enqueue({str(marker)!r}, 1.5).id)",
        env=env,
    ).strip()
    worker = start_worker(env=env)
    wait_for(marker, worker)
    returncode, output = stop(worker)
    assert returncode == 0, output
    assert (tmp_path / "task.done").exists()
    assert "SIGTERM: stopping once the task or job under way finishes" in output
    assert f"Task id={result_id} path=tests.background.tasks.slow state=SUCCESSFUL" in output
    assert output.rstrip().endswith("stopped on SIGTERM"), output
    status = manage(
        "shell",
        "-v",
        "0",
        "-c",
        f"from django_tasks import default_task_backend as b; print(b.get_result({result_id!r})"
        ".status)",
        env=env,
    )
    assert status.strip() == "SUCCESSFUL"


@pytest.mark.redis
def test_sigterm_during_an_rq_task_lets_it_finish_and_leaves_the_rest_queued(rq_backend, tmp_path):
    marker = tmp_path / "task"
    slow.enqueue(str(marker), 1.5)
    slow.enqueue(str(tmp_path / "next"), 0)
    env = child_env(f"sqlite:///{tmp_path / 'unused.sqlite3'}", TASKS_URL=REDIS_URL)
    worker = start_worker(env=env)
    wait_for(marker, worker)
    returncode, output = stop(worker)
    assert returncode == 0, output
    assert (tmp_path / "task.done").exists()
    assert not (tmp_path / "next").exists()
    assert rq_backend.llen("rq:queue:default") == 1
    assert output.rstrip().endswith("stopped on SIGTERM"), output


def test_two_workers_share_the_queue_and_run_each_task_once(child_database):
    env = child_env(child_database, TASKS_URL="database")
    manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db import transaction\n"
        "from tests.background.tasks import nap\n"
        "with transaction.atomic():\n"
        "    for _ in range(16): nap.enqueue(0.25)",
        env=env,
    )
    workers = [start_worker("--once", env=env) for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    results = json.loads(
        manage(
            "shell",
            "-v",
            "0",
            "-c",
            "import json; from django_tasks_db.models import DBTaskResult as R\n"
            "print(json.dumps(list(R.objects.values_list('status', 'worker_ids', "
            "'return_value'))))",
            env=env,
        )
    )
    assert len(results) == 16
    assert {status for status, _, _ in results} == {"SUCCESSFUL"}
    assert all(len(worker_ids) == 1 for _, worker_ids, _ in results)  # none ran twice
    pids = {pid for _, _, pid in results}
    assert pids == {worker.pid for worker in workers}, outputs  # both took a share


def test_sigterm_during_a_periodic_job_lets_it_finish_then_exits_0(tmp_path):
    marker = tmp_path / "job"
    env = child_env(
        f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        TASKS_URL="immediate",
        TEST_MARKER=str(marker),
        TEST_PERIODIC_JOBS=json.dumps(
            {"slow": {"function": "tests.background.tasks.slow_job", "every": 3600}}
        ),
    )
    worker = start_worker(env=env)
    wait_for(marker, worker)
    returncode, output = stop(worker)
    assert returncode == 0, output
    assert (tmp_path / "job.done").exists()
    assert "Periodic job slow finished in " in output
    assert output.rstrip().endswith("stopped on SIGTERM"), output


def test_an_idle_worker_stops_at_once_on_sigint(tmp_path):
    env = child_env(f"sqlite:///{tmp_path / 'unused.sqlite3'}", TASKS_URL="immediate")
    worker = start_worker("--interval", "30", env=env)
    line = worker.stdout.readline()
    assert " started: " in line, line
    started = time.monotonic()
    worker.send_signal(signal.SIGINT)
    output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert time.monotonic() - started < 5  # it did not sleep out its 30 s interval
    assert output.rstrip().endswith("stopped on SIGINT"), output


def test_the_interval_must_be_a_positive_number(tmp_path):
    env = child_env(f"sqlite:///{tmp_path / 'unused.sqlite3'}", TASKS_URL="immediate")
    result = subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--interval", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--interval: must be a number of seconds above 0" in result.stderr

#!/usr/bin/env python3
"""Set up, serve and test factcheck with nothing but Python 3.11 installed.

    python3 dev.py serve   # install everything, migrate, load demo data, serve on 127.0.0.1:8000
                           # with the background worker (manage.py run_worker) beside it
    python3 dev.py test    # install everything and run the whole test suite

The virtual environment lives in .venv and is reinstalled when pyproject.toml changes; the test
tools from npm (the Nu HTML Checker) live in node_modules, reinstalled when package-lock.json
changes. As root, the system packages the tests use (Chromium, gettext, Redis) come from apt;
dev.py test starts Redis on 127.0.0.1:6379 when it is installed and not running.
DATABASE_URL picks the database (a SQLite file under var/ when unset).
"""

import base64
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".factcheck-installed"
NODE_STAMP = ROOT / "node_modules" / ".factcheck-installed"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str, env: dict | None = None) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def ensure_environment() -> None:
    """Create .venv and install the project with its test tools, unless already up to date."""
    if sys.version_info < (3, 11):
        sys.exit("factcheck needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        say("Installing factcheck and its dependencies")
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "--editable", ".[dev]")
        STAMP.write_text(wanted)


def django_env(**overrides: str) -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    env.update(overrides)
    return env


def serve(args: list[str]) -> None:
    ensure_environment()
    # Local serving runs in debug mode with a development key unless the environment says more.
    env = django_env()
    env.setdefault("DJANGO_DEBUG", "true")
    (ROOT / "var").mkdir(exist_ok=True)
    # The demo desk signs its audit log's checkpoints (the worker does, at its start and then
    # hourly), so its public verification pages (/verify/) have something to confirm. An Ed25519
    # private key is any 32 random bytes; this one is the demo's, kept in var/ beside its data.
    demo_key = ROOT / "var" / "demo-audit-signing.key"
    if not demo_key.exists():
        demo_key.write_text(base64.b64encode(os.urandom(32)).decode())
        demo_key.chmod(0o600)
    if not env.get("AUDIT_SIGNING_KEY"):
        env.setdefault("AUDIT_SIGNING_KEY_FILE", str(demo_key))
    manage = [str(PYTHON), "manage.py"]
    say("Migrating the database")
    run(*manage, "migrate", "--no-input", "-v", "0", env=env)
    say("Loading the demo data")
    run(*manage, "load_demo", env=env)
    address = args[0] if args else "127.0.0.1:8000"
    say("Starting the background worker (manage.py run_worker; its lines start with 'worker |')")
    worker = start_worker(manage, env)
    say(f"Serving on http://{address}/ (Ctrl-C stops the server and the worker)")
    try:
        returncode = run_server(manage, address, env)
    finally:
        stop_worker(worker)
    sys.exit(returncode)


def start_worker(manage: list[str], env: dict) -> subprocess.Popen:
    """Start ``run_worker`` in its own process group, so that Ctrl-C reaches only the server and
    the worker gets one SIGTERM from us (which lets its task under way finish); its output is
    prefixed so it reads apart from the server's."""
    worker = subprocess.Popen(
        [*manage, "run_worker"],
        cwd=ROOT,
        env=dict(env, PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        process_group=0,
    )

    def relay() -> None:
        for line in worker.stdout:
            print(f"worker | {line}", end="", flush=True)

    threading.Thread(target=relay, daemon=True).start()
    return worker


def run_server(manage: list[str], address: str, env: dict) -> int:
    """Run runserver (with its autoreloader) in the foreground until it ends: Ctrl-C reaches it
    directly, and SIGTERM to dev.py is passed on to it."""
    server = subprocess.Popen([*manage, "runserver", address], cwd=ROOT, env=env)
    signal.signal(signal.SIGTERM, lambda signum, frame: server.terminate())
    while True:
        try:
            return server.wait()
        except KeyboardInterrupt:
            continue  # the same Ctrl-C stops the server; wait until it has


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        say(f"The worker had stopped (exit code {worker.returncode})")
        return
    say("Stopping the worker (it finishes the task under way)")
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        say("The worker did not stop within 30 s: killing it")
        worker.kill()
        worker.wait()


def apt_install(package: str, needed_by: str, otherwise: str) -> None:
    """Install a Debian package when we may (as root, with apt), or say what ``otherwise``."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"Installing {package} for {needed_by} (apt-get install {package})")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", package, env=env)
    else:
        say(otherwise)


def ensure_chromium() -> None:
    """Browser tests drive Debian's Chromium."""
    if shutil.which("chromium") or os.environ.get("CHROMIUM_PATH"):
        return
    apt_install(
        "chromium",
        "the browser tests",
        "Chromium not found: browser tests will be skipped. Install Debian's 'chromium' "
        "package or set CHROMIUM_PATH to run them.",
    )


def ensure_gettext() -> None:
    """The translation tests run makemessages, which needs GNU gettext's xgettext."""
    if shutil.which("xgettext"):
        return
    apt_install(
        "gettext",
        "the translation tests",
        "xgettext not found: the makemessages test will be skipped. Install GNU gettext "
        "(Debian's 'gettext' package) to run it.",
    )


def ensure_node_tools() -> None:
    """The HTML validity test runs the Nu HTML Checker, which npm installs (package-lock.json)
    into node_modules; reinstalled when the lock file changes."""
    wanted = hashlib.sha256((ROOT / "package-lock.json").read_bytes()).hexdigest()
    if NODE_STAMP.exists() and NODE_STAMP.read_text().strip() == wanted:
        return
    if not shutil.which("npm"):
        say(
            "npm not found: the HTML validity test will fail until the Nu HTML Checker is "
            "installed. Install Node.js with npm, then run python3 dev.py test again."
        )
        return
    say("Installing the Nu HTML Checker for the HTML validity test (npm ci)")
    # vnu-jar's install script would download a Java runtime; the tests run the machine's java.
    run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
    NODE_STAMP.write_text(wanted)


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_redis() -> None:
    """Tests marked 'redis' (the RQ backend) need Redis on 127.0.0.1:6379, and fail without it."""
    if redis_answers():
        return
    if not shutil.which("redis-server"):
        apt_install(
            "redis-server",
            "the Redis tests",
            "redis-server not found: the tests marked 'redis' will fail. Install Redis "
            "(Debian's 'redis-server' package) or start one on 127.0.0.1:6379.",
        )
    if not shutil.which("redis-server"):
        return
    say("Starting Redis on 127.0.0.1:6379 for the tests marked 'redis' (redis-server)")
    run(
        "redis-server",
        "--daemonize", "yes",
        "--bind", "127.0.0.1",
        "--port", "6379",
        "--save", "",
        "--appendonly", "no",
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not redis_answers() and time.monotonic() < deadline:
        time.sleep(0.1)


def test(args: list[str]) -> None:
    ensure_environment()
    ensure_chromium()
    ensure_gettext()
    ensure_node_tools()
    ensure_redis()
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest's own settings (tests/settings.py) apply
    result = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)
    sys.exit(result.returncode)


COMMANDS = {"serve": serve, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])

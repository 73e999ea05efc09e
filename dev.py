#!/usr/bin/env python3
"""Set up, serve and test factcheck with nothing but Python 3.11 installed.

    python3 dev.py serve   # install everything, migrate, load demo data, serve on 127.0.0.1:8000
    python3 dev.py test    # install everything and run the whole test suite

The virtual environment lives in .venv and is reinstalled when pyproject.toml changes; the test
tools from npm (the Nu HTML Checker) live in node_modules, reinstalled when package-lock.json
changes. As root, the system packages the tests use (Chromium, gettext) come from apt.
DATABASE_URL picks the database (a SQLite file under var/ when unset).
"""

import hashlib
import os
import shutil
import subprocess
import sys
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
    manage = [str(PYTHON), "manage.py"]
    say("Migrating the database")
    run(*manage, "migrate", "--no-input", "-v", "0", env=env)
    say("Loading the demo data")
    run(*manage, "load_demo", env=env)
    address = args[0] if args else "127.0.0.1:8000"
    say(f"Serving on http://{address}/ (Ctrl-C stops)")
    os.chdir(ROOT)
    os.execve(str(PYTHON), [*manage, "runserver", address], env)


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


def test(args: list[str]) -> None:
    ensure_environment()
    ensure_chromium()
    ensure_gettext()
    ensure_node_tools()
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest's own settings (tests/settings.py) apply
    result = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)
    sys.exit(result.returncode)


COMMANDS = {"serve": serve, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])

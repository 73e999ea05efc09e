"""Time seed_bulk and verify_audit on a fresh database and print the figures.

    .venv/bin/python bench/seed_and_verify.py --claims 100000
    .venv/bin/python bench/seed_and_verify.py --claims 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/factcheck_bulk

Without ``--database-url`` it creates a temporary SQLite file (removed afterwards unless
``--keep``). A given database is migrated and seeded in place: point it at one you can throw away.
Each step runs as its own ``manage.py`` process, as a person would run it.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


def run(args: list[str], env: dict) -> tuple[float, str]:
    """Run one manage.py command; its wall time in seconds and its output."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return elapsed, result.stdout.strip()


def number(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    return int(match.group(1).replace(",", "")) if match else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, help="seed_bulk --workers (default: its own)")
    parser.add_argument("--database-url", help="a database to migrate and seed in place")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    options = parser.parse_args()

    scratch = None
    url = options.database_url
    if not url:
        scratch = tempfile.mkdtemp(prefix="factcheck-bench-")
        url = f"sqlite:///{scratch}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true"}

    migrate_seconds, _ = run(["migrate", "-v0"], env)
    seed_args = ["seed_bulk", "--claims", str(options.claims), "--seed", str(options.seed)]
    if options.workers is not None:
        seed_args += ["--workers", str(options.workers)]
    seed_seconds, seeded = run(seed_args, env)
    verify_seconds, verified = run(["verify_audit"], env)

    rows = sum(
        number(rf"([\d,]+) {what}", seeded)
        for what in ("claims", "evidence links", "assignments", "appearances", "audit events")
    )
    events = number(r"([\d,]+) events", verified)
    print(f"database      {url}")
    print(f"migrate       {migrate_seconds:7.1f} s")
    print(
        f"seed_bulk     {seed_seconds:7.1f} s  {options.claims:,} claims, {rows:,} rows "
        f"({rows / seed_seconds:,.0f} rows/s)"
    )
    print(f"              {seeded}")
    print(
        f"verify_audit  {verify_seconds:7.1f} s  {events:,} events "
        f"({events / verify_seconds:,.0f} events/s)"
    )
    print(f"              {verified}")
    if scratch:
        path = Path(scratch) / "bench.sqlite3"
        print(f"size          {path.stat().st_size / 2**20:,.0f} MiB")
        if options.keep:
            print(f"kept          {path}")
        else:
            for leftover in Path(scratch).iterdir():
                leftover.unlink()
            Path(scratch).rmdir()


if __name__ == "__main__":
    main()

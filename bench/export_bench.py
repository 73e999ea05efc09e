"""Time the verdict exports and the CSV import, beside ``dumpdata``, and print the figures.

    .venv/bin/python bench/export_bench.py                      # 10,000 and 100,000 claims
    .venv/bin/python bench/export_bench.py --sizes 10000 --big /tmp/export_bulk.sqlite3
    .venv/bin/python bench/export_bench.py --steps csv json --big /tmp/export_bulk.sqlite3

For each size it uses a SQLite database of that many ``seed_bulk`` claims: ``--big`` names an
existing one for the largest size (a copy of someone's benchmark database, migrated); the others
are seeded into temporary files. Every step runs as its own ``manage.py`` process, as a person
would run it, under ``/usr/bin/time`` for the whole process's wall time and peak memory (RSS).
The CSV made by the export is imported into a fresh, migrated, empty database (so ``--steps
import`` exports the CSV too). With two sizes or more, ``memory`` is how much more the step's
peak memory is at the largest size than at the smallest; issue 5 holds the exports within 20%.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"
FORMATS = ("csv", "json", "claimreview")
STEPS = (*FORMATS, "dumpdata", "import")
TARGETS = {"csv": 5, "json": 15, "claimreview": 15, "import csv": 60}
MEMORY_TARGET_MB = 120
# An export's peak memory at the largest size over its peak at the smallest, less one: a stream
# holds one chunk at a time, so its memory should barely grow with the desk.
MEMORY_GROWTH_LIMIT = 0.20


def environment(database: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "k" * 50),
        "DJANGO_SUPERUSER_PASSWORD": "bench-only",
    }


def timed(args: list[str], database: Path, *, output: Path | None = None) -> tuple[float, float]:
    """Run one manage.py command; (wall seconds, peak memory in MB) of its whole process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as figures:
        command = ["/usr/bin/time", "-f", "%e %M", "-o", figures.name, sys.executable]
        with open(output or os.devnull, "w") as out:
            result = subprocess.run(
                [*command, str(MANAGE), *args],
                env=environment(database),
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
            )
        if result.returncode:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        seconds, kilobytes = figures.read().split()[-2:]
    return float(seconds), int(kilobytes) / 1024


def manage(args: list[str], database: Path) -> None:
    subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=environment(database),
        check=True,
        capture_output=True,
    )


def seeded(claims: int, folder: Path) -> Path:
    database = folder / f"seed-{claims}.sqlite3"
    manage(["migrate", "-v0"], database)
    manage(["seed_bulk", "--claims", str(claims), "--seed", "5"], database)
    return database


def measure(claims: int, database: Path, folder: Path, steps) -> list[tuple[str, float, float]]:
    rows = []
    exported = {}
    for name in FORMATS:
        if name not in steps and not (name == "csv" and "import" in steps):
            continue
        path = folder / f"export-{claims}.{name}"
        seconds, memory = timed(["export_verdicts", "--format", name], database, output=path)
        exported[name] = path
        rows.append((name, seconds, memory))
    if "dumpdata" in steps:
        seconds, memory = timed(["dumpdata", "claims"], database)
        rows.append(("dumpdata claims", seconds, memory))
    if "import" in steps:
        empty = folder / f"import-{claims}.sqlite3"
        manage(["migrate", "-v0"], empty)
        manage(
            ["createsuperuser", "--noinput", "--username", "mover", "--email", "m@x.test"], empty
        )
        seconds, memory = timed(["import_claims", str(exported["csv"]), "--actor", "mover"], empty)
        rows.append(("import csv", seconds, memory))
    sizes = ", ".join(f"{n} {p.stat().st_size / 1e6:,.0f} MB" for n, p in exported.items())
    print(f"{claims:,} claims exported: {sizes}", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--big",
        type=Path,
        help="An existing, migrated SQLite database with the largest size's claims.",
    )
    parser.add_argument(
        "--steps", nargs="+", choices=STEPS, default=STEPS, help="What to time (default: all)."
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        folder = Path(tmp)
        results = {}
        for size in options.sizes:
            database = options.big if options.big and size == max(options.sizes) else None
            if database is None:
                print(f"Seeding {size:,} claims ...", file=sys.stderr)
                database = seeded(size, folder)
            print(f"Measuring {size:,} claims in {database} ...", file=sys.stderr)
            results[size] = measure(size, database, folder, options.steps)

    print(f"{'step':<28}" + "".join(f"{f'{size:,} claims':>24}" for size in results))
    print(
        " " * 28
        + "".join(f"{'seconds':>12}{'peak MB':>12}" for _size in results)
        + (f"{'memory':>10}" if len(results) > 1 else "")
    )
    for index, (name, *_figures) in enumerate(next(iter(results.values()))):
        line = f"{name:<28}"
        for size in results:
            _name, seconds, memory = results[size][index]
            line += f"{seconds:>12.1f}{memory:>12.0f}"
        if len(results) > 1:
            smallest, largest = (results[size][index][2] for size in (min(results), max(results)))
            line += f"{largest / smallest - 1:>+10.0%}"
        target = TARGETS.get(name)
        if target:
            line += f"   target < {target} s, < {MEMORY_TARGET_MB} MB"
            if name in FORMATS:
                line += f", memory within {MEMORY_GROWTH_LIMIT:.0%}"
        print(line)


if __name__ == "__main__":
    main()

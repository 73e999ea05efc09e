"""Time the editor UI's pages on a database of seed_bulk claims and print the figures.

    .venv/bin/python bench/ui_bench.py --database-url sqlite:////tmp/bulk.sqlite3
    .venv/bin/python bench/ui_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/factcheck_bench

The database is migrated if it needs to be and topped up with ``seed_bulk`` to ``--claims``
claims (100,000 by default), so point it at one you can throw away. Pages are rendered through
Django's test client with production settings (DEBUG off, so nothing records queries except where
this script counts them), by an editor, and by a reviewer for "my claims". Each page is requested
a few times to warm up and then timed; the table shows the median and 90th percentile of the
whole request (view, queries and template), the median time spent in the database, the queries
per request and the rows on the page. Then the queue's query count for several page sizes and
filters, which should not change.

``--admin`` adds the stock Django admin changelist for claims, for comparison. The script writes
one user, ``ui-bench-editor`` (an editor with staff status, for the admin); the reviewer is the
seeded one with the most open assignments.
"""

import argparse
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Pages a row of the table is about, and how many rows each showed: a queue row links its claim,
# the claim page lists evidence and history, the admin changelist marks each row's first column.
ROW_MARKERS = {
    "queue": re.compile(r'class="claim-link"'),
    "claim": re.compile(r'<li class="[^"]*" id="link-\d+"|<li><time '),
    "admin": re.compile(r'<th class="field-__str__"'),
    "inbox": re.compile(r'<li id="notification-\d+"'),
}


def bench_parser(
    description: str, *, claims: int = 100_000, runs: int | None = 30, warmup: bool = True
) -> argparse.ArgumentParser:
    """The options every benchmark takes: the database, how many claims to seed it with, and
    (unless ``runs`` is None) how many timed and warm-up requests; each script adds its own."""
    parser = argparse.ArgumentParser(description=description.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "sqlite:////tmp/bulk.sqlite3"),
        help="the database to time (migrated and seeded in place)",
    )
    parser.add_argument("--claims", type=int, default=claims, help="seed up to this many")
    parser.add_argument("--seed", type=int, default=1, help="seed_bulk --seed when seeding")
    if runs is not None:
        parser.add_argument("--runs", type=int, default=runs, help="timed requests each")
    if runs is not None and warmup:
        parser.add_argument("--warmup", type=int, default=3, help="untimed requests each first")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=int(os.environ.get("CONN_MAX_AGE", "60")),
        help="CONN_MAX_AGE: seconds a connection is kept (0: a new one for every request)",
    )
    return parser


def print_same_counts(rows: list[tuple[str, str, int]], noun: str) -> None:
    """Each (kind, request, queries) row, then whether every request of a kind made as many."""
    counts: dict[str, set[int]] = {}
    for kind, request, count in rows:
        counts.setdefault(kind, set()).add(count)
        print(f"  {count:>3}  {kind:<10}  {request}")
    for kind, seen in counts.items():
        same = "yes" if len(seen) == 1 else "NO " + str(sorted(seen))
        print(f"  the same for every {kind} {noun}: {same}")


def configure(options) -> None:
    """Production-like settings from the environment, before Django is imported."""
    os.environ["DATABASE_URL"] = options.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory and costs time
    os.environ["DJANGO_HTTPS"] = "false"
    # The pages are timed for a signed-in person; a second factor is sign-in's cost, not theirs
    # (with it required, every page would answer with the redirect to enrol).
    os.environ["FACTCHECK_REQUIRE_2FA"] = "false"
    os.environ.setdefault("SECRET_KEY", "ui-bench-only-" + "k" * 40)
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["CONN_MAX_AGE"] = str(options.conn_max_age)
    sys.path.insert(0, str(ROOT))
    # Whitenoise looks for collected static files, which a benchmark does not need.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()

    from django.test.utils import override_settings

    # No collectstatic here: {% static %} must not need the manifest.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()


def prepare_database(claims: int, seed: int) -> None:
    """Migrate if needed and seed up to ``claims`` claims."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connection, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("migrating…", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)

    from claims.models import Claim

    have = Claim.objects.count()
    if have < claims:
        print(f"seeding {claims - have:,} claims (have {have:,})…", flush=True)
        call_command("seed_bulk", claims=claims - have, seed=seed)
        connection.close()  # seed_bulk forked workers around this connection
        if connection.vendor == "postgresql":
            # What autovacuum would do a little later: statistics for the planner and the
            # visibility map that index-only scans need. (SQLite is left as the app runs it,
            # without ANALYZE statistics.)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            connection.close()


def users():
    """An editor (staff, so the admin can be timed too), an editor who chose compact rows, and
    the reviewer with most open work."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count, Q

    from claims import services
    from claims.models import AssignmentStatus
    from claims.permissions import EDITORS_GROUP

    User = get_user_model()
    editor, _created = User.objects.get_or_create(
        username="ui-bench-editor",
        defaults={"first_name": "Bench", "last_name": "Editor", "is_staff": True},
    )
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    compact, _created = User.objects.get_or_create(
        username="ui-bench-compact", defaults={"first_name": "Compact", "last_name": "Editor"}
    )
    compact.groups.add(Group.objects.get(name=EDITORS_GROUP))
    services.desk_preferences_update(actor=compact, queue_density="compact")
    reviewer = (
        User.objects.filter(username__startswith="seed-reviewer-")
        .annotate(n=Count("assignments", filter=Q(assignments__status=AssignmentStatus.OPEN)))
        .order_by("-n")
        .first()
    )
    return editor, compact, reviewer


def detail_claim_id() -> int:
    """A recent claim with evidence both ways, an open assignment and about ten events."""
    from claims.models import AssignmentStatus, Claim

    claim = (
        Claim.objects.filter(
            audit_length__range=(9, 12),
            contradicting_count__gt=0,
            supporting_count__gt=0,
            assignments__status=AssignmentStatus.OPEN,
        )
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return claim or Claim.objects.order_by("-id").values_list("id", flat=True).first()


class DatabaseClock:
    """Counts queries and adds up their time, with DEBUG off.

    Executing is timed by an execute wrapper; fetching by TimedCursor, because SQLite computes
    most rows while they are fetched. (CaptureQueriesContext would force the debug cursor,
    which slows every query it sees.)
    """

    def __init__(self, *, keep_sql: bool = False):
        self.seconds = 0.0
        self.queries = 0
        self.keep_sql = keep_sql
        self.sql: list[list] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.seconds += elapsed
            self.queries += 1
            if self.keep_sql:
                shown = tuple(repr(str(p) if isinstance(p, str) else p) for p in params or ())
                self.sql.append([elapsed, sql % shown])

    def fetched(self, seconds: float) -> None:
        self.seconds += seconds
        if self.sql:
            self.sql[-1][0] += seconds


class TimedCursor:
    """A driver cursor whose fetches are added to a DatabaseClock."""

    def __init__(self, cursor, clock: DatabaseClock):
        self._cursor = cursor
        self._clock = clock

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def __iter__(self):
        return iter(self._cursor)

    def _timed(self, method, *args):
        started = time.perf_counter()
        try:
            return method(*args)
        finally:
            self._clock.fetched(time.perf_counter() - started)

    def fetchone(self):
        return self._timed(self._cursor.fetchone)

    def fetchmany(self, *args):
        return self._timed(self._cursor.fetchmany, *args)

    def fetchall(self):
        return self._timed(self._cursor.fetchall)


def get(client, url: str, clock: DatabaseClock):
    from django.db import close_old_connections, connection

    create_cursor = connection.create_cursor
    connection.create_cursor = lambda name=None: TimedCursor(create_cursor(name), clock)
    try:
        # Django keeps wrappers on the connection object, across reconnections.
        with connection.execute_wrapper(clock):
            response = client.get(url)
        # What a server does after each request and the test client leaves out: close the
        # connection unless CONN_MAX_AGE keeps it.
        close_old_connections()
        return response
    finally:
        del connection.create_cursor


def measure(client, url: str, kind: str, *, warmup: int, runs: int) -> dict:
    for _run in range(warmup):
        get(client, url, DatabaseClock())
    counted = DatabaseClock(keep_sql=True)
    response = get(client, url, counted)
    body = response.content.decode()
    marker = ROW_MARKERS.get(kind)
    rows = len(marker.findall(body)) if marker else 0

    totals, in_database, cpu = [], [], []
    for _run in range(runs):
        clock = DatabaseClock()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = get(client, url, clock)
        totals.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        in_database.append(clock.seconds * 1000)
    return {
        "url": url,
        "status": response.status_code,
        "median": statistics.median(totals),
        "p90": statistics.quantiles(totals, n=10)[-1] if runs > 1 else totals[0],
        "db": statistics.median(in_database),
        # This process's CPU time: steadier than the wall clock on a shared machine, and with
        # SQLite it holds the database's work too (a PostgreSQL server's is not in it).
        "cpu": statistics.median(cpu),
        "queries": counted.queries,
        "rows": rows,
        "sql": counted.sql,
    }


def python_speed_ms() -> float:
    """A yardstick for comparing runs on a shared machine: ten million additions in CPython."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return (time.perf_counter() - started) * 1000


def query_count(client, url: str) -> int:
    clock = DatabaseClock()
    response = get(client, url, clock)
    assert response.status_code == 200, (url, response.status_code)
    return clock.queries


# The pages issues 3 and 11 hold to a median under 30 ms; the others are timed for information.
REQUIRED = ("plain", "state", "search", "deep page", "due", "compact", "claim page")


def pages_to_time(as_editor, as_compact, as_reviewer, claim_id: int, *, admin: bool) -> list[tuple]:
    """(label or None, client, URL, kind) for every page timed."""
    pages = [
        ("plain", as_editor, "/claims/", "queue"),
        ("state", as_editor, "/claims/?state=disputed", "queue"),
        # One of seed_bulk's twelve subjects: about 8% of the claims.
        ("search", as_editor, "/claims/?q=inflation", "queue"),
        (None, as_editor, "/claims/?q=housing+budget&state=corroborated", "queue"),
        # A title and a first name: about 1% of the claims, matched in the claimant.
        (None, as_editor, "/claims/?q=senator+ada", "queue"),
        ("deep page", as_editor, "/claims/?page=2000", "queue"),
        (None, as_editor, "/claims/?per_page=100", "queue"),
        (None, as_editor, "/claims/?per_page=100&page=900", "queue"),
        (None, as_reviewer, "/claims/?reviewer=me", "queue"),
        (None, as_editor, "/claims/?reviewer=unassigned", "queue"),
        (None, as_editor, "/claims/?overdue=on", "queue"),
        (None, as_editor, "/claims/?supporting=yes", "queue"),
        (None, as_editor, "/claims/?contradicting=no&sort=claimant", "queue"),
        (None, as_editor, "/claims/?sort=-supporting&page=50", "queue"),
        # Soonest due first, then latest first: the undated half of the claims comes last.
        ("due", as_editor, "/claims/?sort=due", "queue"),
        (None, as_editor, "/claims/?sort=-due", "queue"),
        (None, as_editor, "/claims/?sort=due&page=3000", "queue"),
        (None, as_editor, "/claims/?state=disputed&sort=-due", "queue"),
        (None, as_editor, "/claims/?reviewer=assigned&sort=due", "queue"),
        # The same queue for an editor who chose compact rows.
        ("compact", as_compact, "/claims/", "queue"),
        (None, as_compact, "/claims/?per_page=100&sort=due", "queue"),
        ("claim page", as_editor, f"/claims/{claim_id}/", "claim"),
        (None, as_reviewer, f"/claims/{claim_id}/", "claim"),
    ]
    if admin:
        pages += [
            (None, as_editor, "/admin/claims/claim/", "admin"),
            # 100 claims a page there: page 500 starts as deep as the queue's page 2000.
            (None, as_editor, "/admin/claims/claim/?p=500", "admin"),
        ]
    return pages


def print_query_counts(as_editor, as_reviewer) -> None:
    """The queue's queries for several page sizes and filters: the same number within each kind.

    Unnarrowed (at most a state tab), the tabs are counted from the state tally and the partial
    index of waiting claims, two small queries; under any other filter one grouped query counts
    every tab. Neither number may depend on the page size, the page or the rows."""
    variants = [
        ("tabs only", as_editor, "/claims/?per_page=10"),
        ("tabs only", as_editor, "/claims/?per_page=25"),
        ("tabs only", as_editor, "/claims/?per_page=100"),
        ("tabs only", as_editor, "/claims/?per_page=100&page=500"),
        ("tabs only", as_editor, "/claims/?state=corroborated&per_page=100"),
        ("filtered", as_editor, "/claims/?q=unemployment&state=disputed&supporting=yes"),
        ("filtered", as_editor, "/claims/?reviewer=unassigned&contradicting=yes&sort=claimant"),
        ("filtered", as_editor, "/claims/?overdue=on&claimant=senator&created_from=2020-01-01"),
        ("filtered", as_editor, "/claims/?source=1&updated_to=2100-01-01&sort=-created"),
        ("filtered", as_editor, "/claims/?reviewer=assigned&sort=-due&per_page=100"),
        ("filtered", as_reviewer, "/claims/?reviewer=me&per_page=100"),
    ]
    print("\nqueries per queue request, for page sizes and filters:")
    rows = []
    for kind, client, url in variants:
        who = " (reviewer)" if client is as_reviewer else ""
        rows.append((kind, url + who, query_count(client, url)))
    print_same_counts(rows, "page")
    empty = query_count(as_editor, "/claims/?q=zzzznomatch")
    print(f"  {empty:>3}  /claims/?q=zzzznomatch (no rows: no rows or assignments to read)")


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument(
        "--admin", action="store_true", help="also time the stock admin changelist, to compare"
    )
    parser.add_argument("--admin-runs", type=int, default=5, help="timed admin requests")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    parser.add_argument("--only", help="time only the pages whose URL contains this")
    options = parser.parse_args()

    configure(options)
    prepare_database(options.claims, options.seed)

    from django.db import connection
    from django.test import Client

    from claims.models import Claim

    editor, compact, reviewer = users()
    as_editor, as_compact, as_reviewer = Client(), Client(), Client()
    as_editor.force_login(editor)
    as_compact.force_login(compact)
    as_reviewer.force_login(reviewer)
    pages = pages_to_time(
        as_editor, as_compact, as_reviewer, detail_claim_id(), admin=options.admin
    )
    if options.only:
        pages = [page for page in pages if options.only in page[2]]

    print(
        f"\n{connection.vendor} {options.database_url}: {Claim.objects.count():,} claims, "
        f"DEBUG off, CONN_MAX_AGE={options.conn_max_age}; per page {options.warmup} warm-up "
        f"and {options.runs} timed requests ({options.admin_runs} for the admin); "
        f"this CPU adds 10^7 integers in Python in {python_speed_ms():.0f} ms"
    )
    header = (
        f"{'required':<10} {'page':<48} {'who':<8} {'st':>3} {'median':>8} {'p90':>8} "
        f"{'db':>7} {'cpu':>7} {'q':>3} {'rows':>4}"
    )
    print(header)
    print("-" * len(header))
    over = []
    for label, client, url, kind in pages:
        runs = options.admin_runs if kind == "admin" else options.runs
        result = measure(client, url, kind, warmup=min(options.warmup, runs), runs=runs)
        who = {id(as_reviewer): "reviewer", id(as_compact): "compact"}.get(id(client), "editor")
        print(
            f"{label or '-':<10} {url:<48} {who:<8} {result['status']:>3} "
            f"{result['median']:>6.1f}ms {result['p90']:>6.1f}ms {result['db']:>5.1f}ms "
            f"{result['cpu']:>5.1f}ms {result['queries']:>3} {result['rows']:>4}",
            flush=True,
        )
        if options.sql:
            for seconds, sql in result["sql"]:
                print(f"    {seconds * 1000:7.2f} ms  {sql[:600]}")
        if label in REQUIRED and (result["status"] != 200 or result["median"] >= 30):
            over.append(f"{label} ({result['status']}, {result['median']:.1f} ms)")
    print(
        "median, p90: the whole request (view, queries, template); db: median time in the "
        "database;\ncpu: median CPU time of this process (with SQLite, the database's work too);\n"
        "q: queries per request; rows: claims, evidence links and events on the page"
    )
    if over:
        print(f"required under 30 ms but not: {', '.join(over)}")
    elif any(label in REQUIRED for label, *_rest in pages):
        print("every required page has a median under 30 ms")

    if not options.only:
        print_query_counts(as_editor, as_reviewer)


if __name__ == "__main__":
    main()

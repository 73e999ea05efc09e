"""Time the Django admin's changelists on a database of seed_bulk claims and print the figures.

    .venv/bin/python bench/admin_bench.py --database-url sqlite:////tmp/bulk.sqlite3
    .venv/bin/python bench/admin_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/factcheck_bench

Issue 4 holds the claim changelist to a median under 50 ms at 100,000 claims and about a million
audit events: plain, filtered by state, searched, and a page in the middle (page 500 of 1,000 at
100 a page). The other models' changelists (500,000 evidence links, 100,000 assignments, the
audit trail) are timed for information. The database is prepared, the user made and the requests
made as in ``ui_bench.py``, whose helpers this reuses: production settings, DEBUG off, the whole
request timed through the test client, queries counted without DEBUG. ``counts`` is how many
COUNT queries a page ran: the claim lists should run none (the state tally answers), the others one.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ui_bench

TARGET_MS = 50

# Every changelist row starts with a <th class="field-…"> cell; headers are <th scope="col">.
ui_bench.ROW_MARKERS["changelist"] = re.compile(r'<th class="field-')


def pages_to_time(reviewer_id: int) -> list[tuple[str | None, str]]:
    """(label when held to the target, URL) for every page timed."""
    claims = "/admin/claims/claim/"
    return [
        ("plain", claims),
        ("state", f"{claims}?state__exact=disputed"),
        # One of seed_bulk's twelve subjects: about 8% of the claims.
        ("search", f"{claims}?q=inflation"),
        ("middle page", f"{claims}?p=500"),
        (None, f"{claims}?q=housing+budget&state__exact=corroborated"),
        (None, f"{claims}?reviewer={reviewer_id}"),
        (None, f"{claims}?o=1"),
        (None, f"{claims}?updated_at__gte=2000-01-01"),
        (None, f"{claims}?p=999"),
        (None, "/admin/claims/evidence/"),
        (None, "/admin/claims/evidence/?stance__exact=contradicts&standing=no"),
        (None, "/admin/claims/evidence/?p=2500"),
        (None, "/admin/claims/evidence/?q=inflation"),
        (None, "/admin/claims/assignment/"),
        (None, "/admin/claims/assignment/?status__exact=open"),
        (None, f"/admin/claims/assignment/?reviewer={reviewer_id}"),
        (None, "/admin/claims/auditevent/"),
        (None, "/admin/claims/auditevent/?action__exact=claim.state_changed"),
        (None, "/admin/claims/auditevent/?p=100"),
        (None, "/admin/claims/source/"),
    ]


def main() -> None:
    parser = ui_bench.bench_parser(__doc__, runs=20)
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    parser.add_argument("--only", help="time only the pages whose URL contains this")
    options = parser.parse_args()

    ui_bench.configure(options)
    ui_bench.prepare_database(options.claims, options.seed)

    from django.db import connection
    from django.test import Client

    from claims.models import AuditEvent, Claim

    editor, reviewer = ui_bench.users()
    as_editor = Client()
    as_editor.force_login(editor)
    pages = pages_to_time(reviewer.pk)
    if options.only:
        pages = [page for page in pages if options.only in page[1]]

    print(
        f"\n{connection.vendor} {options.database_url}: {Claim.objects.count():,} claims, "
        f"{AuditEvent.objects.count():,} audit events, DEBUG off, "
        f"CONN_MAX_AGE={options.conn_max_age}; per page {options.warmup} warm-up and "
        f"{options.runs} timed requests; this CPU adds 10^7 integers in Python in "
        f"{ui_bench.python_speed_ms():.0f} ms"
    )
    header = (
        f"{'target':<12} {'page':<58} {'st':>3} {'median':>8} {'p90':>8} {'db':>7} "
        f"{'q':>3} {'counts':>6} {'rows':>4}"
    )
    print(header)
    print("-" * len(header))
    over, met = [], []
    for label, url in pages:
        result = ui_bench.measure(
            as_editor, url, "changelist", warmup=options.warmup, runs=options.runs
        )
        counts = sum(1 for _seconds, sql in result["sql"] if "COUNT(" in sql.upper())
        target = f"<{TARGET_MS} {label}" if label else "-"
        print(
            f"{target:<12} {url:<58} {result['status']:>3} {result['median']:>6.1f}ms "
            f"{result['p90']:>6.1f}ms {result['db']:>5.1f}ms {result['queries']:>3} "
            f"{counts:>6} {result['rows']:>4}",
            flush=True,
        )
        if options.sql:
            for seconds, sql in result["sql"]:
                print(f"    {seconds * 1000:7.2f} ms  {sql[:600]}")
        if label:
            (over if result["median"] >= TARGET_MS else met).append(
                f"{label} ({result['median']:.1f} ms)"
            )
    print(
        "median, p90: the whole request (view, queries, template); db: median time in the "
        "database;\nq: queries per request; counts: COUNT queries among them; rows: rows listed"
    )
    if over:
        print(f"held to a median under {TARGET_MS} ms but not: {', '.join(over)}")
    if met:
        print(f"under {TARGET_MS} ms: {', '.join(met)}")


if __name__ == "__main__":
    main()

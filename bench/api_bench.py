"""Time the API's claim list and claim detail on a database of seed_bulk claims; print the figures.

    .venv/bin/python bench/api_bench.py --database-url sqlite:////tmp/bulk.sqlite3
    .venv/bin/python bench/api_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/factcheck_bench

The database is prepared as ``ui_bench.py`` prepares it (migrated, topped up to ``--claims``
claims), and the requests are made as it makes them (production settings, the test client,
queries counted and timed with DEBUG off), with an editor's personal token in
``Authorization: Bearer``: authentication, the rate limit's count in the shared cache and
the token's last-used time are all in the figures. Issue 14 holds ``GET /api/v1/claims/``
(plain, filtered, searched, a deep cursor) and a claim's detail to a median under 20 ms, each
with a query count that does not change with the page size or the cursor.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The sibling script, found through the path set above.
from ui_bench import (
    bench_parser,
    configure,
    detail_claim_id,
    measure,
    prepare_database,
    print_same_counts,
    python_speed_ms,
    query_count,
)

REQUIRED_MS = 20
DEEP = 50_000  # the cursor starts this many claims into the queue's default order


def token_client():
    """A test client sending a new token of the bench editor's (made once, reused)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from claims.models import ApiToken
    from claims.permissions import EDITORS_GROUP
    from claims.services import api_token_create

    editor, _created = get_user_model().objects.get_or_create(
        username="api-bench-editor", defaults={"first_name": "Bench", "last_name": "Editor"}
    )
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    ApiToken.objects.filter(user=editor).delete()
    _token, secret = api_token_create(actor=editor, name="api bench")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), editor


def deep_cursor_url(path: str = "/api/v1/claims/") -> str:
    """The list's URL with the cursor that ``next`` gives DEEP claims in, made as the
    pagination makes it (walking there page by page would take 2,000 requests)."""
    from rest_framework.pagination import Cursor

    from claims.api.claims import API_SORTS, DEFAULT_SORT
    from claims.api.pagination import KeysetCursorPagination
    from claims.models import Claim

    ordering = API_SORTS[DEFAULT_SORT]
    row = Claim.objects.order_by(*ordering)[DEEP]
    paginator = KeysetCursorPagination()
    paginator.base_url = f"http://testserver{path}"
    position = paginator._get_position_from_instance(row, ordering)
    link = paginator.encode_cursor(Cursor(offset=0, reverse=False, position=position))
    return link.removeprefix("http://testserver")


def busiest_reviewer_id() -> int:
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from claims.models import AssignmentStatus

    return (
        get_user_model()
        .objects.filter(username__startswith="seed-reviewer-")
        .annotate(n=Count("assignments", filter=Q(assignments__status=AssignmentStatus.OPEN)))
        .order_by("-n")
        .values_list("pk", flat=True)
        .first()
    )


def requests_to_time(claim_id: int, reviewer_id: int) -> list[tuple[str | None, str]]:
    """(label when issue 14 holds it to REQUIRED_MS, URL) for every request timed."""
    deep = deep_cursor_url()
    return [
        ("plain", "/api/v1/claims/"),
        ("filtered", "/api/v1/claims/?state=disputed"),
        (None, f"/api/v1/claims/?reviewer={reviewer_id}"),
        (None, "/api/v1/claims/?reviewer=unassigned&supporting=yes"),
        # One of seed_bulk's twelve subjects: about 8% of the claims.
        ("searched", "/api/v1/claims/?q=inflation"),
        (None, "/api/v1/claims/?q=senator+ada"),
        ("deep cursor", deep),
        (None, "/api/v1/claims/?page_size=100"),
        (None, "/api/v1/claims/?sort=due"),
        (None, "/api/v1/claims/?sort=claimant"),
        ("detail", f"/api/v1/claims/{claim_id}/"),
        (None, "/api/v1/sources/"),
    ]


def print_query_counts(client, reviewer_id: int) -> None:
    """The list's queries for page sizes, cursors and filters: one number within each kind,
    whatever the rows (a search that matches many claims on SQLite counts them first, to
    choose how to read them: one query more, every time)."""
    deep = deep_cursor_url()
    variants = [
        ("unsearched", "/api/v1/claims/?page_size=1"),
        ("unsearched", "/api/v1/claims/?page_size=25"),
        ("unsearched", "/api/v1/claims/?page_size=100"),
        ("unsearched", deep),
        ("unsearched", deep + "&page_size=100"),
        ("unsearched", "/api/v1/claims/?state=corroborated&sort=-due"),
        ("unsearched", f"/api/v1/claims/?reviewer={reviewer_id}&overdue=true"),
        ("searched", "/api/v1/claims/?q=unemployment&state=disputed"),
        ("searched", "/api/v1/claims/?q=unemployment&page_size=100&sort=claimant"),
    ]
    print("\nqueries per list request, for page sizes, cursors and filters:")
    rows = [(kind, url[:90], query_count(client, url)) for kind, url in variants]
    print_same_counts(rows, "request")
    empty = query_count(client, "/api/v1/claims/?q=zzzznomatch")
    print(f"  {empty:>3}  /api/v1/claims/?q=zzzznomatch (no rows: no assignments to read)")


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--sql", action="store_true", help="print each request's queries")
    options = parser.parse_args()
    # The limit is counted on every request as in production, but set past what a run makes.
    os.environ["FACTCHECK_API_RATE"] = "1000000/min"

    configure(options)
    prepare_database(options.claims, options.seed)

    from django.db import connection

    from claims.models import Claim

    client, _editor = token_client()
    reviewer_id = busiest_reviewer_id()
    print(
        f"\n{connection.vendor} {options.database_url}: {Claim.objects.count():,} claims, "
        f"DEBUG off, CONN_MAX_AGE={options.conn_max_age}; per URL {options.warmup} warm-up and "
        f"{options.runs} timed requests; this CPU adds 10^7 integers in Python in "
        f"{python_speed_ms():.0f} ms"
    )
    header = (
        f"{'required':<12} {'request':<52} {'st':>3} {'median':>8} {'p90':>8} {'db':>7} "
        f"{'cpu':>7} {'q':>3} {'rows':>4}"
    )
    print(header)
    print("-" * len(header))
    over = []
    for label, url in requests_to_time(detail_claim_id(), reviewer_id):
        result = measure(client, url, "api", warmup=options.warmup, runs=options.runs)
        response_rows = _rows(client, url)
        shown = url if len(url) <= 52 else url[:49] + "..."
        print(
            f"{label or '-':<12} {shown:<52} {result['status']:>3} {result['median']:>6.1f}ms "
            f"{result['p90']:>6.1f}ms {result['db']:>5.1f}ms {result['cpu']:>5.1f}ms "
            f"{result['queries']:>3} {response_rows:>4}",
            flush=True,
        )
        if options.sql:
            for seconds, sql in result["sql"]:
                print(f"    {seconds * 1000:7.2f} ms  {sql[:600]}")
        if label and (result["status"] != 200 or result["median"] >= REQUIRED_MS):
            over.append(f"{label} ({result['status']}, {result['median']:.1f} ms)")
    print(
        "median, p90: the whole request; db: median time in the database; cpu: median CPU "
        "time of\nthis process (with SQLite, the database's work too); q: queries per request; "
        "rows: claims in the answer"
    )
    if over:
        print(f"required under {REQUIRED_MS} ms but not: {', '.join(over)}")
    else:
        print(f"every required request has a median under {REQUIRED_MS} ms")
    print_query_counts(client, reviewer_id)


def _rows(client, url: str) -> int:
    body = json.loads(client.get(url).content)
    return len(body["results"]) if "results" in body else 1


if __name__ == "__main__":
    main()

"""Time what notifications cost: the inbox of someone with 10,000, and a write that enqueues them.

    .venv/bin/python bench/notifications_bench.py --database-url sqlite:////tmp/bulk.sqlite3
    .venv/bin/python bench/notifications_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/factcheck_bench

Reuses ui_bench's setup (production-like settings, the database migrated and seeded to
``--claims``). Issue 13 holds the inbox page to a median under 30 ms for a user with 10,000
notifications, and a write that enqueues notifications to at most a few milliseconds more than
the same write without: adding a link to a claim with a reviewer and a watcher is timed with the
configured task backend (``TASKS_URL``, the database by default: one more row written after the
commit) and with the announcement switched off. The fan-out itself runs later, in the worker,
and is timed on its own for the record.
"""

import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ui_bench

INBOX_SIZE = 10_000
INBOX_LIMIT_MS = 30
WRITE_LIMIT_MS = 5  # "a few milliseconds"


def inbox_owner():
    """A reviewer holding INBOX_SIZE notifications (written once, in bulk)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims import clock
    from claims.models import Channel, Claim, Notification, NotificationKind
    from claims.permissions import REVIEWERS_GROUP

    user, _created = get_user_model().objects.get_or_create(
        username="bench-inbox", defaults={"first_name": "Inbox", "last_name": "Owner"}
    )
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    have = Notification.objects.filter(recipient=user).count()
    if have < INBOX_SIZE:
        claims = list(Claim.objects.order_by("-id").values_list("id", flat=True)[:500])
        kinds = list(NotificationKind)
        now = clock.now()
        Notification.objects.bulk_create(
            (
                Notification(
                    recipient=user,
                    kind=kinds[number % len(kinds)],
                    claim_id=claims[number % len(claims)],
                    actor_name="Bench Editor",
                    channel=Channel.IN_APP,
                    created_at=now,
                    read_at=now if number % 3 else None,
                )
                for number in range(INBOX_SIZE - have)
            ),
            batch_size=2000,
        )
        from django.db import connection

        if connection.vendor == "postgresql":
            # What autovacuum does after such an insert: the planner's statistics (without
            # them it joins all 10,000 to their claims before sorting) and the visibility map.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE claims_notification")
    return user


def time_writes(editor, runs: int) -> tuple[float, float, float]:
    """Median ms of evidence_add with announcements on and off, and of one fan-out."""
    from claims import services
    from claims.models import AuditEvent, Claim, Stance
    from claims.notifications.fanout import fan_out
    from claims.notifications.services import claim_watch

    claim = Claim.objects.filter(assignments__status="open").order_by("-id").first()
    claim_watch(actor=editor, claim=claim)
    actor = claim.assignments.filter(status="open").first().reviewer
    stamp = time.time_ns()

    def add(number: int, label: str) -> float:
        started = time.perf_counter()
        services.evidence_add(
            actor=actor,
            claim=claim,
            stance=Stance.SUPPORTS,
            url=f"https://bench.example/{label}/{stamp}/{number}",
        )
        return (time.perf_counter() - started) * 1000

    add(0, "warm")
    on = [add(number, "on") for number in range(runs)]
    with mock.patch("claims.services._shared.announce", return_value=None):
        off = [add(number, "off") for number in range(runs)]
    events = list(
        AuditEvent.objects.filter(claim_id=claim.pk, action="evidence.added").order_by("-id")[:runs]
    )
    fanned = []
    for event in events:
        started = time.perf_counter()
        fan_out(event)
        fanned.append((time.perf_counter() - started) * 1000)
    return statistics.median(on), statistics.median(off), statistics.median(fanned)


def main() -> None:
    parser = ui_bench.bench_parser(__doc__)
    options = parser.parse_args()

    ui_bench.configure(options)
    ui_bench.prepare_database(options.claims, options.seed)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    editor, _compact, _reviewer = ui_bench.users()
    owner = inbox_owner()
    client = Client()
    client.force_login(owner)
    print(
        f"\n{connection.vendor} {options.database_url}: tasks on "
        f"{settings.TASKS['default']['BACKEND']}; {options.warmup} warm-up and {options.runs} "
        f"timed requests; this CPU adds 10^7 integers in Python in "
        f"{ui_bench.python_speed_ms():.0f} ms"
    )
    for url in ("/notifications/", "/notifications/?page=150"):
        result = ui_bench.measure(client, url, "inbox", warmup=options.warmup, runs=options.runs)
        print(
            f"{url:<26} status {result['status']}  median {result['median']:.1f} ms  "
            f"p90 {result['p90']:.1f} ms  db {result['db']:.1f} ms  cpu {result['cpu']:.1f} ms  "
            f"queries {result['queries']}  (a user with {INBOX_SIZE:,} notifications)"
        )
        if url == "/notifications/":
            verdict = "under" if result["median"] < INBOX_LIMIT_MS else "NOT under"
            print(f"  inbox median {verdict} {INBOX_LIMIT_MS} ms")
    on, off, fanned = time_writes(editor, options.runs)
    print(
        f"evidence_add with announcements {on:.2f} ms, without {off:.2f} ms: "
        f"{on - off:+.2f} ms ({'within' if on - off <= WRITE_LIMIT_MS else 'NOT within'} "
        f"{WRITE_LIMIT_MS} ms); the fan-out in the worker afterwards {fanned:.2f} ms"
    )


if __name__ == "__main__":
    main()

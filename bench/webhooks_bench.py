"""Time what webhooks cost a write: evidence_add with the webhook hook switched off, with no
endpoint (the one query that asks who listens), and with an endpoint subscribed (that query
and one task row written after the commit); then the dispatch the worker runs afterwards.

    .venv/bin/python bench/webhooks_bench.py --database-url sqlite:////tmp/wh_bench.sqlite3
    .venv/bin/python bench/webhooks_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/wh_bench

Reuses ui_bench's setup (production-like settings, the database migrated and seeded to
``--claims``; a write's cost does not grow with the desk, so a small one will do). Tasks go to
the configured backend (``TASKS_URL``, the database by default); nothing is sent anywhere.
"""

import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ui_bench


def time_writes(runs: int) -> dict[str, float]:
    from claims import clock, services
    from claims.models import AuditEvent, Claim, Stance, WebhookEndpoint
    from claims.webhooks.delivery import new_secret
    from claims.webhooks.tasks import dispatch_event

    claim = Claim.objects.filter(assignments__status="open").order_by("-id").first()
    actor = claim.assignments.filter(status="open").first().reviewer
    stamp = time.time_ns()

    def add(number: int, label: str) -> float:
        claim.refresh_from_db()
        started = time.perf_counter()
        services.evidence_add(
            actor=actor,
            claim=claim,
            stance=Stance.SUPPORTS,
            url=f"https://bench.example/{label}/{stamp}/{number}",
        )
        return (time.perf_counter() - started) * 1000

    WebhookEndpoint.objects.filter(url__startswith="https://bench-hooks.example/").delete()
    add(0, "warm")
    with mock.patch("claims.services._shared.webhooks.announce", return_value=None):
        off = [add(number, "off") for number in range(runs)]
    no_endpoint = [add(number, "none") for number in range(runs)]
    now = clock.now()
    endpoint = WebhookEndpoint.objects.create(
        url="https://bench-hooks.example/in",
        event_types=["evidence.added"],
        secret=new_secret(),
        created_at=now,
        updated_at=now,
    )
    subscribed = [add(number, "sub") for number in range(runs)]
    events = list(
        AuditEvent.objects.filter(claim_id=claim.pk, action="evidence.added").order_by("-id")[:runs]
    )
    endpoint.deliveries.all().delete()
    dispatched = []
    with mock.patch("claims.webhooks.tasks.enqueue_on_commit"):
        for event in events:
            started = time.perf_counter()
            dispatch_event.call(event.pk, claim.version, claim.state)
            dispatched.append((time.perf_counter() - started) * 1000)
    endpoint.delete()
    return {
        "off": statistics.median(off),
        "none": statistics.median(no_endpoint),
        "subscribed": statistics.median(subscribed),
        "dispatch": statistics.median(dispatched),
    }


def main() -> None:
    parser = ui_bench.bench_parser(__doc__, claims=2_000, runs=40, warmup=False)
    options = parser.parse_args()

    ui_bench.configure(options)
    ui_bench.prepare_database(options.claims, options.seed)

    from django.conf import settings
    from django.db import connection

    figures = time_writes(options.runs)
    print(
        f"\n{connection.vendor} {options.database_url}: tasks on "
        f"{settings.TASKS['default']['BACKEND']}; {options.runs} writes each; this CPU adds "
        f"10^7 integers in Python in {ui_bench.python_speed_ms():.0f} ms"
    )
    off = figures["off"]
    print(f"evidence_add, webhook hook off:          {off:.2f} ms")
    print(
        f"evidence_add, no endpoint:               {figures['none']:.2f} ms "
        f"({figures['none'] - off:+.2f} ms)"
    )
    print(
        f"evidence_add, one endpoint subscribed:   {figures['subscribed']:.2f} ms "
        f"({figures['subscribed'] - off:+.2f} ms)"
    )
    print(f"dispatch in the worker afterwards:       {figures['dispatch']:.2f} ms")


if __name__ == "__main__":
    main()

"""From an audit event to its deliveries: one per event and active endpoint subscribed to one
of its types, written once (``webhookdelivery_once_per_event``), then each sent by a task.

The services call ``announce`` with every event they record. It asks the database one small
question first (which active endpoints subscribe to what), so a desk without endpoints, or
an import of 10,000 claims that no endpoint listens for, enqueues nothing at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from claims import clock
from claims.audit.actions import AuditAction
from claims.background.enqueue import enqueue_on_commit
from claims.models import AuditEvent, Claim, WebhookDelivery, WebhookEndpoint, WebhookEventType

from .events import chosen_type, event_types, payload


@dataclass(frozen=True)
class Recorded:
    """An event with the claim as that write left it (read later, it may have moved on)."""

    event: AuditEvent
    claim_version: int
    state: str


def anyone_listens(types: Iterable[str]) -> bool:
    """Does an active endpoint subscribe to one of ``types``? One query over a short table."""
    types = tuple(types)
    if not types:
        return False
    subscriptions = WebhookEndpoint.objects.filter(is_active=True).values_list(
        "event_types", flat=True
    )
    return any(chosen_type(types, subscribed) for subscribed in subscriptions)


def announce(event: AuditEvent, claim: Claim) -> None:
    """Called by the services with each event they record: its deliveries are written and sent
    once the transaction commits (never for a write that rolled back)."""
    from .tasks import dispatch_event

    if anyone_listens(event_types(event.action, event.data)):
        enqueue_on_commit(dispatch_event, event.pk, claim.version, claim.state)


def announce_imported(claims: list[Claim]) -> None:
    """An import's batch of new claims, each with its ``claim.imported`` event: one task for
    the batch, and none when no endpoint hears of new claims."""
    from .tasks import dispatch_imported

    if claims and anyone_listens([WebhookEventType.CLAIM_CREATED]):
        enqueue_on_commit(
            dispatch_imported, [[claim.pk, claim.version, claim.state] for claim in claims]
        )


def create_deliveries(recorded: list[Recorded]) -> list[int]:
    """Write the deliveries ``recorded`` calls for that do not exist yet; the new ones' ids.

    A retried or concurrent dispatch finds its rows written (the constraint ignores the
    duplicates) and returns only the rows it wrote itself, told apart by their message ids.
    """
    if not recorded:
        return []
    event_ids = [item.event.pk for item in recorded]
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True).only("id", "event_types"))
    existing = set(
        WebhookDelivery.objects.filter(event_id__in=event_ids).values_list(
            "endpoint_id", "event_id"
        )
    )
    now = clock.now()
    rows = []
    for item in recorded:
        types = event_types(item.event.action, item.event.data)
        for endpoint in endpoints:
            kind = chosen_type(types, endpoint.event_types)
            if kind is None or (endpoint.pk, item.event.pk) in existing:
                continue
            rows.append(
                WebhookDelivery(
                    endpoint_id=endpoint.pk,
                    event_id=item.event.pk,
                    event_type=kind,
                    payload=payload(
                        item.event, kind, claim_version=item.claim_version, state=item.state
                    ),
                    created_at=now,
                )
            )
    if not rows:
        return []
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return list(
        WebhookDelivery.objects.filter(message_id__in=[row.message_id for row in rows]).values_list(
            "pk", flat=True
        )
    )


def imported_events(claims: list[list]) -> list[Recorded]:
    """The ``claim.imported`` events of ``[claim id, version, state]`` triples."""
    known = {claim_id: (version, state) for claim_id, version, state in claims}
    events = AuditEvent.objects.filter(claim_id__in=known, action=AuditAction.CLAIM_IMPORTED)
    return [Recorded(event, *known[event.claim_id]) for event in events]

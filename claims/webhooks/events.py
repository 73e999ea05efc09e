"""Which webhook event types an audit event is, and the payload an endpoint receives for it.

The one table of the mapping: read from the event alone (its action and data), so every write
that records an event, from the web, the admin, the API, a command or an import, is told alike.
An event may be of several types (a sign-off that publishes a verdict is also a state change);
they come most specific first, and each endpoint gets the first one it subscribed to.
"""

from datetime import UTC

from django.conf import settings
from django.urls import reverse

from claims.audit.actions import STATE_MOVES, AuditAction
from claims.models import AuditEvent, WebhookEventType

_BY_ACTION: dict[str, tuple[str, ...]] = {
    AuditAction.CLAIM_CREATED: (WebhookEventType.CLAIM_CREATED,),
    AuditAction.CLAIM_IMPORTED: (WebhookEventType.CLAIM_CREATED,),
    AuditAction.CLAIM_EDITED: (WebhookEventType.CLAIM_EDITED,),
    AuditAction.EVIDENCE_ADDED: (WebhookEventType.EVIDENCE_ADDED,),
    AuditAction.EVIDENCE_RETRACTED: (WebhookEventType.EVIDENCE_RETRACTED,),
    AuditAction.CLAIM_STATE_CHANGED: (WebhookEventType.CLAIM_STATE_CHANGED,),
    AuditAction.VERDICT_APPROVED: (WebhookEventType.CLAIM_STATE_CHANGED,),
    AuditAction.REVIEWER_ASSIGNED: (WebhookEventType.ASSIGNMENT_MADE,),
    AuditAction.REVIEWER_COMPLETED: (WebhookEventType.ASSIGNMENT_CLOSED,),
    AuditAction.REVIEWER_WITHDRAWN: (WebhookEventType.ASSIGNMENT_CLOSED,),
}

# The actions any endpoint may hear of; every other event (proposals, comments, source edits)
# stays inside the desk.
DELIVERED_ACTIONS = frozenset(_BY_ACTION)


def event_types(action: str, data: dict) -> tuple[str, ...]:
    """The webhook types of an event, most specific first; () for one no endpoint hears of.

    A state move publishes when ``apply_verdict`` says so in the event (``published_at``), and
    the publication is a correction when it carries the public note (``correction_note``).
    """
    types = _BY_ACTION.get(action, ())
    if action in STATE_MOVES and "published_at" in data:
        if "correction_note" in data:
            return (WebhookEventType.CORRECTION_PUBLISHED, *types)
        return (WebhookEventType.VERDICT_PUBLISHED, *types)
    return types


def chosen_type(types: tuple[str, ...], subscribed) -> str | None:
    """The most specific of ``types`` an endpoint subscribed to, or None."""
    return next((kind for kind in types if kind in subscribed), None)


def _details(event_type: str, data: dict) -> dict:
    """The little an event type adds to the claim's id, version and state: only what its
    event already records and a reader of the published claim could see."""
    if event_type in (WebhookEventType.EVIDENCE_ADDED, WebhookEventType.EVIDENCE_RETRACTED):
        stance = data.get("stance") or data.get("new", {}).get("stance")
        return {"evidence_id": data.get("evidence_id"), "stance": stance}
    if event_type == WebhookEventType.ASSIGNMENT_MADE:
        return {"assignment_id": data.get("assignment_id")}
    if event_type == WebhookEventType.ASSIGNMENT_CLOSED:
        return {
            "assignment_id": data.get("assignment_id"),
            "assignment_status": data.get("new", {}).get("status"),
        }
    if event_type == WebhookEventType.CLAIM_STATE_CHANGED:
        return {"previous_state": data.get("old", {}).get("state")}
    if event_type == WebhookEventType.VERDICT_PUBLISHED:
        return {"published_at": data.get("published_at")}
    if event_type == WebhookEventType.CORRECTION_PUBLISHED:
        return {
            "published_at": data.get("published_at"),
            "previous_state": data.get("old", {}).get("state"),
            "correction_note": data.get("correction_note", ""),
        }
    return {}


def payload(event: AuditEvent, event_type: str, *, claim_version: int, state: str) -> dict:
    """What an endpoint receives for ``event`` as ``event_type``: the claim as the event left
    it (its version and state, given by the write, not read later when they may have moved)."""
    path = reverse("claims:detail", kwargs={"pk": event.claim_id})
    return {
        "type": event_type,
        "timestamp": event.created_at.astimezone(UTC).isoformat(),
        "data": {
            "claim_id": event.claim_id,
            "claim_version": claim_version,
            "event_id": event.pk,
            "event_sequence": event.sequence,
            "action": event.action,
            "state": state,
            "url": settings.FACTCHECK_SITE_URL.rstrip("/") + path,
            **_details(event_type, event.data),
        },
    }

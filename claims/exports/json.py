"""JSON: an array with one object per claim: its fields, appearances with their sources, every
evidence link (retracted ones included, with who retracted them, when and why), assignments and
the audit history with each event's hash. ``import_claims`` reads this format back.
"""

import json
from collections.abc import Iterable, Iterator

from ..models import Claim
from .selector import user_name

CONTENT_TYPE = "application/json"
EXTENSION = "json"
WITH_HISTORY = True


def _time(value) -> str | None:
    return value.isoformat() if value else None


def _user(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.get_username(), "name": user_name(user)}


def source_data(source) -> dict:
    return {
        "title": source.title,
        "url": source.url,
        "outlet": source.outlet,
        "author": source.author,
        "published_on": _time(source.published_on),
        "text": source.text,
    }


def claim_data(claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "text": claim.text,
        "claimant": claim.claimant,
        "claimed_on": _time(claim.claimed_on),
        "state": claim.state,
        "rationale": claim.rationale,
        "created_by": _user(claim.created_by),
        "created_at": _time(claim.created_at),
        "updated_at": _time(claim.updated_at),
        "state_changed_at": _time(claim.state_changed_at),
        "first_verdict_at": _time(claim.first_verdict_at),
        "supporting_count": claim.supporting_count,
        "contradicting_count": claim.contradicting_count,
        "appearances": [
            {"quote": a.quote, "source": source_data(a.source)} for a in claim.appearances.all()
        ],
        "evidence": [
            {
                "id": e.pk,
                "stance": e.stance,
                "url": e.url,
                "title": e.title,
                "publisher": e.publisher,
                "excerpt": e.excerpt,
                "note": e.note,
                "added_by": _user(e.added_by),
                "added_at": _time(e.added_at),
                "retracted": e.retracted_at is not None,
                "retracted_at": _time(e.retracted_at),
                "retracted_by": _user(e.retracted_by),
                "retraction_reason": e.retraction_reason,
            }
            for e in claim.evidence.all()
        ],
        "assignments": [
            {
                "reviewer": _user(a.reviewer),
                "assigned_by": _user(a.assigned_by),
                "assigned_at": _time(a.assigned_at),
                "due_on": _time(a.due_on),
                "status": a.status,
                "closed_at": _time(a.closed_at),
                "closed_by": _user(a.closed_by),
                "close_reason": a.close_reason,
            }
            for a in claim.assignments.all()
        ],
        "history": [
            {
                "sequence": event.sequence,
                "action": event.action,
                "actor_name": event.actor_name,
                "time": _time(event.created_at),
                "data": event.data,
                "previous_hash": event.previous_hash,
                "hash": event.hash,
            }
            for event in claim.audit_events.all()
        ],
    }


def render(claims: Iterable[Claim]) -> Iterator[str]:
    """``[``, one compact object per line joined by commas, ``]``."""
    yield "["
    separator = "\n"
    for claim in claims:
        yield separator + json.dumps(claim_data(claim), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"

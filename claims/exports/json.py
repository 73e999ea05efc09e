"""JSON: an array with one object per claim: its fields, appearances with their sources, every
evidence link (retracted ones included, with who retracted them, when and why), assignments and
the audit history with each event's hash. ``import_claims`` reads this format back.
"""

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _string

from .selector import EVERYTHING, ISO_TIMES, ClaimRecord

CONTENT_TYPE = "application/json"
EXTENSION = "json"
INCLUDE = EVERYTHING | {ISO_TIMES}  # dates and times come as the text written here


def _user(user) -> dict | None:
    return None if user is None else {"username": user.username, "name": user.name}


def source_data(source) -> dict:
    return {
        "title": source.title,
        "url": source.url,
        "outlet": source.outlet,
        "author": source.author,
        "published_on": source.published_on,
        "text": source.text,
    }


def claim_data(claim: ClaimRecord) -> dict:
    """The claim as a dict, without its history (see ``claim_json``)."""
    return {
        "id": claim.pk,
        "text": claim.text,
        "claimant": claim.claimant,
        "claimed_on": claim.claimed_on,
        "state": claim.state,
        "rationale": claim.rationale,
        "created_by": _user(claim.created_by),
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
        "state_changed_at": claim.state_changed_at,
        "first_verdict_at": claim.first_verdict_at,
        "supporting_count": claim.supporting_count,
        "contradicting_count": claim.contradicting_count,
        "appearances": [
            {"quote": a.quote, "source": source_data(a.source)} for a in claim.appearances
        ],
        "evidence": [
            {
                "id": e.id,
                "stance": e.stance,
                "url": e.url,
                "title": e.title,
                "publisher": e.publisher,
                "excerpt": e.excerpt,
                "note": e.note,
                "added_by": _user(e.added_by),
                "added_at": e.added_at,
                "retracted": e.retracted_at is not None,
                "retracted_at": e.retracted_at,
                "retracted_by": _user(e.retracted_by),
                "retraction_reason": e.retraction_reason,
            }
            for e in claim.evidence
        ],
        "assignments": [
            {
                "reviewer": _user(a.reviewer),
                "assigned_by": _user(a.assigned_by),
                "assigned_at": a.assigned_at,
                "due_on": a.due_on,
                "status": a.status,
                "closed_at": a.closed_at,
                "closed_by": _user(a.closed_by),
                "close_reason": a.close_reason,
            }
            for a in claim.assignments
        ],
    }


def _event_json(event) -> str:
    # Written out by hand: the desk's history is most of the export, and encoding a dict per
    # event took longer than reading it. Its data is copied as the database holds it, already
    # JSON, rather than decoded and encoded again.
    return (
        f'{{"sequence": {int(event.sequence)}, "action": {_string(event.action)}, '
        f'"actor_name": {_string(event.actor_name)}, '
        f'"time": {_string(event.created_at)}, '
        f'"previous_hash": {_string(event.previous_hash)}, "hash": {_string(event.hash)}, '
        f'"data": {event.data_json or "{}"}}}'
    )


def claim_json(claim: ClaimRecord) -> str:
    """One claim's object, its audit history last."""
    body = _dumps(claim_data(claim))
    history = ", ".join(_event_json(event) for event in claim.history)
    return f'{body[:-1]}, "history": [{history}]}}'


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def render(claims: Iterable[ClaimRecord]) -> Iterator[str]:
    """``[``, one compact object per line joined by commas, ``]``."""
    yield "["
    separator = "\n"
    for claim in claims:
        yield separator + claim_json(claim)
        separator = ",\n"
    yield "\n]\n"

"""JSON: an array with one object per claim: its fields, appearances with their sources, every
evidence link (retracted ones included, with who retracted them, when and why), assignments and
the audit history with each event's hash. ``import_claims`` reads this format back.

The claim's own fields go through ``json.dumps``; its evidence, assignments and history, most
of a desk's export, are written from the database's rows by hand (``json.dumps`` of a dict per
row took twice as long), in exactly the text ``json.dumps`` would give: keys in the same order,
``", "`` and ``": "`` between them, strings escaped by the same function.
"""

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _string

from .selector import EVERYTHING, ISO_TIMES, ROWS, ClaimRecord, user_refs

CONTENT_TYPE = "application/json"
EXTENSION = "json"
# Dates and times come as the text written here; evidence, assignments and history as rows.
INCLUDE = EVERYTHING | {ISO_TIMES, ROWS}


class _UsersJSON(dict):
    """Each user's ``{"username": ..., "name": ...}`` by id; ``null`` for none (or one since
    deleted)."""

    def __missing__(self, pk) -> str:
        return "null"


def users_json() -> _UsersJSON:
    return _UsersJSON(
        (pk, _dumps({"username": user.username, "name": user.name}))
        for pk, user in user_refs().items()
    )


def _user(user) -> dict | None:
    return None if user is None else {"username": user.username, "name": user.name}


def _optional(value: str | None) -> str:
    return "null" if value is None else _string(value)


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
    """The claim's own fields and appearances as a dict (see ``claim_json`` for the rest)."""
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
    }


_EVIDENCE = (
    '{"id": %d, "stance": %s, "url": %s, "title": %s, "publisher": %s, "excerpt": %s, '
    '"note": %s, "added_by": %s, "added_at": %s, "retracted": %s, "retracted_at": %s, '
    '"retracted_by": %s, "retraction_reason": %s}'
)


def _evidence_json(row, users) -> str:
    """One link from its EVIDENCE_COLUMNS row."""
    _claim, pk, stance, url, title, publisher, excerpt, note, added_by, added_at, *rest = row
    retracted_at, retracted_by, reason = rest
    return _EVIDENCE % (
        pk,
        _string(stance),
        _string(url),
        _string(title),
        _string(publisher),
        _string(excerpt),
        _string(note),
        users[added_by],
        _string(added_at),
        "false" if retracted_at is None else "true",
        _optional(retracted_at),
        users[retracted_by],
        _string(reason),
    )


_ASSIGNMENT = (
    '{"reviewer": %s, "assigned_by": %s, "assigned_at": %s, "due_on": %s, "status": %s, '
    '"closed_at": %s, "closed_by": %s, "close_reason": %s}'
)


def _assignment_json(row, users) -> str:
    """One assignment from its ASSIGNMENT_COLUMNS row."""
    _claim, reviewer, assigned_by, assigned_at, due_on, status, *rest = row
    closed_at, closed_by, reason = rest
    return _ASSIGNMENT % (
        users[reviewer],
        users[assigned_by],
        _string(assigned_at),
        _optional(due_on),
        _string(status),
        _optional(closed_at),
        users[closed_by],
        _string(reason),
    )


_EVENT = (
    '{"sequence": %d, "action": %s, "actor_name": %s, "time": %s, '
    '"previous_hash": %s, "hash": %s, "data": %s}'
)


def _event_json(row) -> str:
    """One audit event from its HISTORY_COLUMNS row; its data is copied as the database holds
    it, already JSON, rather than decoded and encoded again."""
    _claim, sequence, action, actor_name, time, data, previous_hash, hash_ = row
    return _EVENT % (
        sequence,
        _string(action),
        _string(actor_name),
        _string(time),
        _string(previous_hash),
        _string(hash_),
        data or "{}",
    )


def claim_json(claim: ClaimRecord, users: _UsersJSON) -> str:
    """One claim's object: its fields, appearances, evidence, assignments and history."""
    body = _dumps(claim_data(claim))
    evidence = ", ".join([_evidence_json(row, users) for row in claim.evidence])
    assignments = ", ".join([_assignment_json(row, users) for row in claim.assignments])
    history = ", ".join([_event_json(row) for row in claim.history])
    return (
        f'{body[:-1]}, "evidence": [{evidence}], "assignments": [{assignments}], '
        f'"history": [{history}]}}'
    )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def render(claims: Iterable[ClaimRecord]) -> Iterator[str]:
    """``[``, one compact object per line joined by commas, ``]``."""
    users = users_json()
    yield "["
    separator = "\n"
    for claim in claims:
        yield separator + claim_json(claim, users)
        separator = ",\n"
    yield "\n]\n"

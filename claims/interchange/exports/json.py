"""JSON: an array with one object per claim: its fields, appearances with their sources, every
evidence link (retracted ones included, with who retracted them, when and why), assignments and
the audit history with each event's hash. ``import_claims`` reads this format back.

Each object is written by hand from string templates, the evidence, assignments and history
(most of a desk's export) straight from the database's rows: ``json.dumps`` of a dict each took
twice as long. The text is exactly what ``json.dumps(..., ensure_ascii=False)`` gives: keys in
the same order, ``", "`` and ``": "`` between them, strings escaped by the same function.
"""

from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _string

from claims.interchange.exports.reader import EVERYTHING, ISO_TIMES, ROWS, ClaimRecord, user_refs

NAME = "json"
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
    return _UsersJSON((pk, _user(user)) for pk, user in user_refs().items())


_USER = '{"username": %s, "name": %s}'


def _user(user) -> str:
    return "null" if user is None else _USER % (_string(user.username), _string(user.name))


def _optional(value: str | None) -> str:
    return "null" if value is None else _string(value)


_SOURCE = (
    '{"quote": %s, "source": {"title": %s, "url": %s, "outlet": %s, "author": %s, '
    '"published_on": %s, "text": %s}}'
)


def _appearance_json(appearance) -> str:
    source = appearance.source
    return _SOURCE % (
        _string(appearance.quote),
        _string(source.title),
        _string(source.url),
        _string(source.outlet),
        _string(source.author),
        _optional(source.published_on),
        _string(source.text),
    )


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


_CLAIM = (
    '{"id": %d, "text": %s, "claimant": %s, "claimed_on": %s, "state": %s, "rationale": %s, '
    '"created_by": %s, "created_at": %s, "updated_at": %s, "state_changed_at": %s, '
    '"first_verdict_at": %s, "supporting_count": %d, "contradicting_count": %d, '
    '"appearances": [%s], "evidence": [%s], "assignments": [%s], "history": [%s]}'
)


def claim_json(claim: ClaimRecord, users: _UsersJSON) -> str:
    """One claim's object: its fields, appearances, evidence, assignments and history."""
    return _CLAIM % (
        claim.pk,
        _string(claim.text),
        _string(claim.claimant),
        _optional(claim.claimed_on),
        _string(claim.state),
        _string(claim.rationale),
        _user(claim.created_by),
        _string(claim.created_at),
        _string(claim.updated_at),
        _optional(claim.state_changed_at),
        _optional(claim.first_verdict_at),
        claim.supporting_count,
        claim.contradicting_count,
        ", ".join([_appearance_json(appearance) for appearance in claim.appearances]),
        ", ".join([_evidence_json(row, users) for row in claim.evidence]),
        ", ".join([_assignment_json(row, users) for row in claim.assignments]),
        ", ".join([_event_json(row) for row in claim.history]),
    )


def render(claims: Iterable[ClaimRecord], *, count: int) -> Iterator[str]:
    """``[``, one compact object per line joined by commas, ``]``."""
    users = users_json()
    yield "["
    separator = "\n"
    for claim in claims:
        yield separator + claim_json(claim, users)
        separator = ",\n"
    yield "\n]\n"

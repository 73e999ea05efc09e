"""JSON: an array with one object per claim: its fields, appearances with their sources, every
evidence link (retracted ones included, with who retracted them, when and why), assignments,
each correction of the published verdict (when, from and to, the rationales before and after,
the public note, who proposed and who signed it off) and the audit history with each event's
hash. ``published_at`` is the verdict's first publication, ``corrected_at`` its latest
correction. ``import_claims`` reads this format back (comments, like assignments and history,
are not imported).

The claim's internal discussion comes too, oldest first: each comment with its author, when it
was written and last edited, and its text; a hidden comment says ``hidden: true``, who hid it,
when and why, and carries no text. Its text stays out of the history as well: the events of a
hidden comment come with their texts removed and ``"redacted": true`` in their data (their hash
covers the data as recorded, which the desk's own audit trail keeps). A reviewer judging an
independent review blind downloads the file without the comments of the round's other reviewers
and their events, as the claim page shows it to them.

Each claim's object is built as a dict and encoded by a JSON encoder, so the file is valid JSON
whatever the text holds: orjson, as the standard library's (which writes the same escapes) is
too slow for a desk's million evidence links and events. Objects are compact, one per line, keys
in the order below. An event's data, stored as JSON, is decoded and encoded again rather than
pasted in, so no stored row can break the file.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

import orjson

from claims.audit.actions import COMMENT_EVENTS
from claims.audit.proofs import VerdictProofs
from claims.interchange.exports.reader import (
    CHUNK_SIZE,
    COMMENTS,
    EVERYTHING,
    ISO_TIMES,
    ROWS,
    ClaimRecord,
    CommentRecord,
    ExportSelection,
    user_refs,
)

NAME = "json"
CONTENT_TYPE = "application/json"
EXTENSION = "json"
# Dates and times come as the text written here; evidence, assignments and history as rows.
INCLUDE = EVERYTHING | {ISO_TIMES, ROWS, COMMENTS}
PUBLISHED_ONLY = False
PROOF_BATCH = CHUNK_SIZE  # claims whose proofs are looked up at once, a chunk at a time


def users_json() -> dict[int, dict]:
    """Each user's ``{"username": ..., "name": ...}`` by id; ``.get`` gives None (null) for none
    or for one since deleted."""
    return {pk: _user(user) for pk, user in user_refs().items()}


def _user(user) -> dict | None:
    return None if user is None else {"username": user.username, "name": user.name}


def _appearance(appearance) -> dict:
    source = appearance.source
    return {
        "quote": appearance.quote,
        "source": {
            "title": source.title,
            "url": source.url,
            "outlet": source.outlet,
            "author": source.author,
            "published_on": source.published_on,
            "text": source.text,
        },
    }


def _evidence(row, users: dict) -> dict:
    """One link from its EVIDENCE_COLUMNS row."""
    _claim, pk, stance, url, title, publisher, excerpt, note, added_by, added_at, *rest = row
    retracted_at, retracted_by, reason = rest
    return {
        "id": pk,
        "stance": stance,
        "url": url,
        "title": title,
        "publisher": publisher,
        "excerpt": excerpt,
        "note": note,
        "added_by": users.get(added_by),
        "added_at": added_at,
        "retracted": retracted_at is not None,
        "retracted_at": retracted_at,
        "retracted_by": users.get(retracted_by),
        "retraction_reason": reason,
    }


def _assignment(row, users: dict) -> dict:
    """One assignment from its ASSIGNMENT_COLUMNS row."""
    _claim, reviewer, assigned_by, assigned_at, due_on, status, *rest = row
    closed_at, closed_by, reason = rest
    return {
        "reviewer": users.get(reviewer),
        "assigned_by": users.get(assigned_by),
        "assigned_at": assigned_at,
        "due_on": due_on,
        "status": status,
        "closed_at": closed_at,
        "closed_by": users.get(closed_by),
        "close_reason": reason,
    }


def _event(row, hidden_comments: frozenset[int]) -> dict:
    """One audit event from its HISTORY_COLUMNS row; one of a hidden comment without its texts."""
    _claim, sequence, action, actor_name, time, data, previous_hash, hash_, _actor = row
    data = orjson.loads(data) if data else {}
    if action in COMMENT_EVENTS and data.get("comment_id") in hidden_comments:
        data = {key: value for key, value in data.items() if key not in _COMMENT_TEXTS}
        data["redacted"] = True
    return {
        "sequence": sequence,
        "action": action,
        "actor_name": actor_name,
        "time": time,
        "previous_hash": previous_hash,
        "hash": hash_,
        "data": data,
    }


# Where a comment's events hold its text: as added, and before and after an edit.
_COMMENT_TEXTS = frozenset({"text", "old", "new"})


def _comment(comment: CommentRecord) -> dict:
    shown = {
        "id": comment.id,
        "author": _user(comment.author),
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "hidden": comment.is_hidden,
    }
    if comment.is_hidden:
        return {
            **shown,
            "hidden_at": comment.hidden_at,
            "hidden_by": _user(comment.hidden_by),
            "hidden_reason": comment.hidden_reason,
        }
    return {**shown, "text": comment.text}


def _correction(correction) -> dict:
    return {
        "published_at": correction.published_at,
        "previous_state": correction.previous_state,
        "state": correction.state,
        "previous_rationale": correction.previous_rationale,
        "rationale": correction.rationale,
        "correction_note": correction.correction_note,
        "proposed_by": _user(correction.proposed_by),
        "approved_by": _user(correction.approved_by),
        "without_signoff": correction.without_signoff,
    }


def claim_json(claim: ClaimRecord, users: dict) -> dict:
    """One claim's object: its fields, appearances, evidence, assignments, corrections,
    comments and history."""
    hidden_comments = frozenset(c.id for c in claim.comments if c.is_hidden)
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
        "published_at": claim.published_at,
        "corrected_at": claim.corrected_at,
        "supporting_count": claim.supporting_count,
        "contradicting_count": claim.contradicting_count,
        "appearances": [_appearance(appearance) for appearance in claim.appearances],
        "evidence": [_evidence(row, users) for row in claim.evidence],
        "assignments": [_assignment(row, users) for row in claim.assignments],
        "corrections": [_correction(correction) for correction in claim.corrections],
        "comments": [_comment(comment) for comment in claim.comments],
        "history": [_event(row, hidden_comments) for row in claim.history],
    }


def render(claims: Iterable[ClaimRecord], *, selection: ExportSelection) -> Iterator[bytes]:
    """``[``, one compact object per line joined by commas, ``]``, in UTF-8. Each claim carries
    ``audit_proof``: that its latest event is in the newest signed checkpoint of the audit log
    (``claims.audit.proofs``), looked up for a batch of claims at a time."""
    users = users_json()
    proofs = VerdictProofs()
    yield b"["
    separator = b"\n"
    claims = iter(claims)
    while batch := list(islice(claims, PROOF_BATCH)):
        proven = proofs.for_claims([claim.pk for claim in batch])
        for claim in batch:
            shown = claim_json(claim, users)
            shown["audit_proof"] = proven.get(claim.pk)
            yield separator + orjson.dumps(shown)
            separator = b",\n"
    yield b"\n]\n"

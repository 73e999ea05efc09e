"""The audit trail: its fixed list of actions, event writing, the hash chain and readable sentences.

Each claim's events form a chain: an event's hash is the SHA-256 of its canonical content, which
includes the previous event's hash, and the claim row records the head of its chain and its length,
so editing, deleting (the newest event included) or reordering events shows in ``verify_chain``.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import clock
from .models import AuditEvent, Claim, ReviewState, Stance


class AuditAction(models.TextChoices):
    CLAIM_CREATED = "claim.created", _("claim created")
    CLAIM_EDITED = "claim.edited", _("claim edited")
    CLAIM_IMPORTED = "claim.imported", _("claim imported")
    CLAIM_STATE_CHANGED = "claim.state_changed", _("state changed")
    EVIDENCE_ADDED = "evidence.added", _("evidence added")
    EVIDENCE_RETRACTED = "evidence.retracted", _("evidence retracted")
    REVIEWER_ASSIGNED = "reviewer.assigned", _("reviewer assigned")
    REVIEWER_COMPLETED = "reviewer.completed", _("review completed")
    REVIEWER_WITHDRAWN = "reviewer.withdrawn", _("reviewer withdrawn")
    SOURCE_EDITED = "source.edited", _("source edited")


_ACTIONS = frozenset(AuditAction.values)  # ``.values`` builds a new list on every access


# As long as AuditEvent.actor_name holds: a full name can be 301 characters (150 + space + 150).
ACTOR_NAME_LENGTH = 300


def actor_display_name(user) -> str:
    if user is None:
        return "system"
    return (user.get_full_name() or user.get_username())[:ACTOR_NAME_LENGTH]


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(
    *,
    claim_id: int,
    sequence: int,
    action: str,
    actor_id: int | None,
    actor_name: str,
    created_at: datetime,
    data: dict,
    previous_hash: str,
) -> str:
    """SHA-256 over the event's canonical JSON, its predecessor's hash included."""
    canonical = json.dumps(
        {
            "claim": claim_id,
            "sequence": sequence,
            "action": action,
            "actor": actor_id,
            "actor_name": actor_name,
            "created_at": _timestamp(created_at),
            "data": data,
            "previous_hash": previous_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def event_hash(event: AuditEvent) -> str:
    return compute_hash(
        claim_id=event.claim_id,
        sequence=event.sequence,
        action=event.action,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        created_at=event.created_at,
        data=event.data,
        previous_hash=event.previous_hash,
    )


def build_event(
    claim: Claim, *, actor, action: str, data: dict, at: datetime | None = None
) -> AuditEvent:
    """An unsaved event that extends ``claim``'s chain; advances the claim's head in memory.

    The caller holds the claim row locked and saves the claim (``audit_length``, ``audit_head``)
    in the same transaction; ``seed_bulk`` uses this to build valid chains without services.
    """
    if action not in _ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    # A JSON round trip now, so the hash covers exactly what the database will give back.
    data = json.loads(json.dumps(data, default=str))
    event = AuditEvent(
        claim_id=claim.pk,
        sequence=claim.audit_length + 1,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_name=actor_display_name(actor),
        created_at=at or clock.now(),
        data=data,
        previous_hash=claim.audit_head,
    )
    event.hash = event_hash(event)
    claim.audit_length = event.sequence
    claim.audit_head = event.hash
    return event


def record_event(claim: Claim, *, actor, action: str, data: dict) -> AuditEvent:
    """Write one event on a locked claim. Services call this inside their transaction."""
    event = build_event(claim, actor=actor, action=action, data=data)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainProblem:
    claim_id: int
    event_id: int | None
    sequence: int | None
    message: str

    def __str__(self):
        if self.event_id:
            where = f"event {self.event_id} (position {self.sequence})"
        elif self.sequence:
            where = f"position {self.sequence} (no such event)"
        else:
            where = "chain head"
        return f"claim {self.claim_id}: {where}: {self.message}"


def verify_chain(
    claim_id: int, events: Iterable[AuditEvent], head: tuple[int, str] | None
) -> ChainProblem | None:
    """The first break in one claim's chain, or None when it is intact.

    ``events`` come in sequence order; any objects with AuditEvent's field names will do (the
    ``verify_audit`` command passes ``values_list(named=True)`` rows). ``head`` is
    (audit_length, audit_head) from the claim row, or None when the claim itself is gone
    (history outlives claims; then only links are checked).
    """
    expected_previous = ""
    expected_sequence = 1
    last = None
    beyond_head = None  # the first event past the length the claim records
    for event in events:
        if event.sequence != expected_sequence:
            return ChainProblem(
                claim_id,
                event.id,
                event.sequence,
                f"expected position {expected_sequence}; an event is missing or out of order",
            )
        if event.previous_hash != expected_previous:
            return ChainProblem(
                claim_id,
                event.id,
                event.sequence,
                "does not link to the event before it (reordered or predecessor changed)",
            )
        if event_hash(event) != event.hash:
            return ChainProblem(
                claim_id, event.id, event.sequence, "content does not match its hash (edited)"
            )
        if head is not None and event.sequence == head[0] + 1:
            beyond_head = event
        expected_previous = event.hash
        expected_sequence += 1
        last = event
    if head is None:
        return None
    length, head_hash = head
    count = 0 if last is None else last.sequence
    recorded = f"the claim records {length} events ending in {head_hash[:12] or '(none)'}"
    held = f"the table holds {count} ending in {expected_previous[:12] or '(none)'}"
    if count < length:
        return ChainProblem(
            claim_id,
            None,
            count + 1,
            f"missing; {recorded}, {held}: the newest events were deleted",
        )
    if count > length:
        return ChainProblem(
            claim_id,
            beyond_head.id,
            beyond_head.sequence,
            f"not recorded on the claim; {recorded}, {held}: events were added behind its back",
        )
    if expected_previous != head_hash:
        return ChainProblem(
            claim_id,
            last.id if last else None,
            count or None,
            f"does not match the chain head; {recorded}, {held}: "
            "the newest event was replaced or the claim's head was altered",
        )
    return None


def iter_chains(events: Iterable[AuditEvent]) -> Iterator[tuple[int, list[AuditEvent]]]:
    """Group events already ordered by (claim, sequence) into one list per claim."""
    current_id, chain = None, []
    for event in events:
        if event.claim_id != current_id:
            if chain:
                yield current_id, chain
            current_id, chain = event.claim_id, []
        chain.append(event)
    if chain:
        yield current_id, chain


# Readable sentences, built when shown so wording can improve without rewriting history.


def _state_label(value: str | None) -> str:
    try:
        return str(ReviewState(value).label)
    except ValueError:
        return str(value)


def _stance_word(value: str | None) -> str:
    return {Stance.SUPPORTS: "supporting", Stance.CONTRADICTS: "contradicting"}.get(value, "")


def _readable_date(value: str | None) -> str:
    """An ISO date from event data as the pages write dates ("26 Nov 2026")."""
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%-d %b %Y")
    except ValueError:
        return value


def describe(event: AuditEvent) -> str:
    """One sentence saying who did what, from old to new, and why."""
    data = event.data or {}
    old, new = data.get("old") or {}, data.get("new") or {}
    who = event.actor_name
    reason = data.get("reason")
    action = event.action
    if action == AuditAction.CLAIM_CREATED:
        sentence = f"{who} created the claim"
    elif action == AuditAction.CLAIM_IMPORTED:
        sentence = f"{who} imported the claim"
    elif action == AuditAction.CLAIM_EDITED:
        fields = ", ".join(sorted(new)) or "nothing"
        sentence = f"{who} edited the claim ({fields})"
    elif action == AuditAction.SOURCE_EDITED:
        fields = ", ".join(sorted(new)) or "nothing"
        sentence = (
            f"{who} edited the source “{data.get('source', '')}” where the claim appeared "
            f"({fields})"
        )
    elif action == AuditAction.CLAIM_STATE_CHANGED:
        sentence = (
            f"{who} changed the state from {_state_label(old.get('state'))} "
            f"to {_state_label(new.get('state'))}"
        )
    elif action == AuditAction.EVIDENCE_ADDED:
        sentence = f"{who} added {_stance_word(new.get('stance'))} evidence {new.get('url', '')}"
    elif action == AuditAction.EVIDENCE_RETRACTED:
        sentence = (
            f"{who} retracted {_stance_word(data.get('stance'))} evidence {data.get('url', '')}"
        )
    elif action == AuditAction.REVIEWER_ASSIGNED:
        due = _readable_date(new.get("due_on"))
        sentence = f"{who} assigned {new.get('reviewer', 'a reviewer')}" + (
            f", due {due}" if due else ""
        )
    elif action == AuditAction.REVIEWER_COMPLETED:
        if event.actor_id is not None and event.actor_id == data.get("reviewer_id"):
            sentence = f"{who} marked their review done"
        else:
            sentence = f"{who} marked the review by {data.get('reviewer', 'a reviewer')} done"
    elif action == AuditAction.REVIEWER_WITHDRAWN:
        sentence = f"{who} withdrew {data.get('reviewer', 'a reviewer')} from the claim"
    else:
        sentence = f"{who}: {action}"
    # The reason is quoted as written; a full stop after its closing quote would double its own.
    return f"{sentence}: “{reason}”" if reason else f"{sentence}."

"""The audit trail's hash chain: building, recording and verifying events.

Each claim's events form a chain: an event's hash is the SHA-256 of its canonical content, which
includes the previous event's hash, and the claim row records the head of its chain and its length,
so editing, deleting (the newest event included) or reordering events shows in ``verify_chain``.
"""

import hashlib
import json
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_all_start_methods, get_context

import orjson
from django.db import connection, connections, transaction
from django.utils.dateparse import parse_datetime

from claims import clock
from claims.models import AuditEvent, Claim
from claims.selectors.people import display_name

from .actions import ACTIONS
from .replay import RowsByClaim, differences, replay


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
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    # A JSON round trip now, so the hash covers exactly what the database will give back.
    data = json.loads(json.dumps(data, default=str))
    event = AuditEvent(
        claim_id=claim.pk,
        sequence=claim.audit_length + 1,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_name=display_name(actor),
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
    claim_id: int,
    events: Iterable[AuditEvent],
    head: tuple[int, str] | None,
    hasher: Callable = event_hash,
) -> ChainProblem | None:
    """The first break in one claim's chain, or None when it is intact.

    ``events`` come in sequence order; any objects with AuditEvent's field names will do
    (``verify_all`` passes ``values_list(named=True)`` rows). ``head`` is (audit_length,
    audit_head) from the claim row, or None when the claim itself is gone (history outlives
    claims; then only links are checked).
    """
    walked = _walk_links(claim_id, events, head, hasher)
    if isinstance(walked, ChainProblem):
        return walked
    if head is None:
        return None
    return _head_problem(claim_id, head, *walked)


def _walk_links(
    claim_id: int, events: Iterable[AuditEvent], head: tuple[int, str] | None, hasher: Callable
):
    """The first event out of place, unlinked or edited; else the last event and the first one
    past the length the claim records (None when there is none)."""
    expected_previous = ""
    expected_sequence = 1
    last = beyond_head = None
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
        if hasher(event) != event.hash:
            return ChainProblem(
                claim_id, event.id, event.sequence, "content does not match its hash (edited)"
            )
        if head is not None and event.sequence == head[0] + 1:
            beyond_head = event
        expected_previous = event.hash
        expected_sequence += 1
        last = event
    return last, beyond_head


def _head_problem(claim_id: int, head: tuple[int, str], last, beyond_head) -> ChainProblem | None:
    """Does the chain end where the claim row says it does?"""
    length, head_hash = head
    count = 0 if last is None else last.sequence
    last_hash = "" if last is None else last.hash
    recorded = f"the claim records {length} events ending in {head_hash[:12] or '(none)'}"
    held = f"the table holds {count} ending in {last_hash[:12] or '(none)'}"
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
    if last_hash != head_hash:
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


# The fields event_hash reads, plus the row id to name a bad event by.
EVENT_FIELDS = (
    "id",
    "claim_id",
    "sequence",
    "action",
    "actor_id",
    "actor_name",
    "created_at",
    "data",
    "previous_hash",
    "hash",
)
LOOKUP_BATCH = 500  # ids per ``pk__in`` query, under SQLite's parameter limit


@dataclass
class Tally:
    """What one verification saw: chains and events of existing claims, and of deleted claims."""

    claims: int = 0
    events: int = 0
    orphan_chains: int = 0
    orphan_events: int = 0
    problems: dict[int, ChainProblem] = field(default_factory=dict)
    orphan_problems: dict[int, ChainProblem] = field(default_factory=dict)
    # Rows that differ from what their claim's events replay to (``claims.audit.replay``).
    row_problems: dict[int, list[str]] = field(default_factory=dict)
    alongside: object = None  # what verify_all's ``alongside`` returned

    @property
    def all_problems(self) -> dict[int, ChainProblem]:
        return {**self.problems, **self.orphan_problems}


def _event_rows(queryset):
    return queryset.values_list(*EVENT_FIELDS, named=True)


StreamedEvent = namedtuple("StreamedEvent", EVENT_FIELDS)
ALL = 2**62  # past every claim id


def _streamed_events(chunk_size: int, low: int = 0, high: int = ALL) -> Iterator[StreamedEvent]:
    """Every event in (claim, sequence) order, read with the driver's own cursor (streamed on
    PostgreSQL): a million rows through the ORM's converters took longer than hashing them.
    ``created_at`` comes as the database writes it as text (the session is in UTC), so no
    datetime is built; ``data`` is parsed."""
    columns = ", ".join(
        "CAST(created_at AS TEXT)" if name == "created_at" else name for name in EVENT_FIELDS
    )
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM claims_auditevent "  # noqa: S608 - constant columns
            "WHERE claim_id >= %s AND claim_id < %s ORDER BY claim_id, sequence",
            [low, high],
        )
        while rows := cursor.fetchmany(chunk_size):
            for row in rows:
                data = row[7]
                yield StreamedEvent(
                    *row[:7],
                    orjson.loads(data) if isinstance(data, str | bytes) else data,
                    *row[8:],
                )


_UTC_TEXT = re.compile(r"(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00(?::?00)?)?")


def _canonical_time(value) -> str | None:
    """``_timestamp`` of a time as the database wrote it: an aware datetime, or UTC text
    (SQLite's "2026-05-16 22:15:54.831745", PostgreSQL's "2026-05-16 22:15:54.8317+00");
    None for text in another form, which is then parsed."""
    if isinstance(value, datetime):
        return _timestamp(value)
    match = _UTC_TEXT.fullmatch(value)
    if match is None:
        return None
    day, clock_time, fraction = match.groups()
    return f"{day}T{clock_time}.{(fraction or '').ljust(6, '0')}+00:00"


def streamed_hash(event: StreamedEvent) -> str:
    """``event_hash`` of a streamed row, several times faster: the same canonical JSON made by
    orjson. Should the two ever write a value differently, the row is hashed again exactly as
    it was written, so a mismatch here never reports an intact event as edited."""
    canonical = orjson.dumps(
        {
            "claim": event.claim_id,
            "sequence": event.sequence,
            "action": event.action,
            "actor": event.actor_id,
            "actor_name": event.actor_name,
            "created_at": _canonical_time(event.created_at) or "",
            "data": event.data,
            "previous_hash": event.previous_hash,
        },
        option=orjson.OPT_SORT_KEYS,
    )
    fast = hashlib.sha256(canonical).hexdigest()
    if fast == event.hash:
        return fast
    created_at = event.created_at
    if not isinstance(created_at, datetime):
        created_at = parse_datetime(created_at.strip())
        if created_at is not None and created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=UTC)  # SQLite keeps UTC without an offset
    if created_at is None:
        return ""  # no time a hash could cover: reported as edited
    return event_hash(event._replace(created_at=created_at))


def verify_all(
    *,
    chunk_size: int = 5000,
    on_events: Callable[[int], None] | None = None,
    alongside: Callable | None = None,
) -> Tally:
    """Recompute every claim's chain and return what was seen, with the first break in each.

    Events are streamed in (claim, sequence) order as plain rows, so a million events verify in
    seconds without building model instances. ``on_events`` hears how many events each chain
    had, for a progress bar. History whose claim row is gone is checked for its links only.
    ``alongside`` runs while the claims are checked (in two processes, on a large desk); its
    result is ``tally.alongside``.
    """
    tally = Tally()
    # Heads first, events second: a chain that grows in between is then only ever longer
    # than its recorded head, never shorter, and is re-checked under the claim's lock.
    heads = {
        pk: (length, head)
        for pk, length, head in Claim.objects.order_by()
        .values_list("pk", "audit_length", "audit_head")
        .iterator(chunk_size=chunk_size)
    }
    tally.claims = len(heads)
    split = _split_point(heads)
    if split is None:
        halves = [_verify_range(heads, 0, ALL, chunk_size, on_events)]
        alongside_result = alongside() if alongside is not None else None
    else:
        # Two processes, one per half of the claims (by id), on a machine's two cores: the
        # check is CPU work in Python. The upper half is checked in a forked process with a
        # connection of its own; this one checks the lower half, then whatever runs alongside.
        connections.close_all()
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork")) as pool:
            upper = pool.submit(_verify_range_apart, heads, split, ALL, chunk_size)
            halves = [_verify_range(heads, 0, split, chunk_size, on_events)]
            alongside_result = alongside() if alongside is not None else None
            halves.append(upper.result())
        if on_events is not None:
            on_events(halves[1][0].events + halves[1][0].orphan_events)
    recheck, orphans = [], {}
    for part, part_recheck, part_orphans, part_heads in halves:
        tally.events += part.events
        tally.problems.update(part.problems)
        tally.orphan_problems.update(part.orphan_problems)
        tally.row_problems.update(part.row_problems)
        recheck += part_recheck
        orphans.update(part_orphans)
        _note_emptied_claims(tally, part_heads)
    # A "deleted" claim may have been created after the heads were read.
    created_since = _existing(list(orphans))
    tally.claims += len(created_since)
    for claim_id in created_since:
        tally.orphan_problems.pop(claim_id, None)
        del orphans[claim_id]
    tally.orphan_chains, tally.orphan_events = len(orphans), sum(orphans.values())
    for claim_id in [*recheck, *created_since]:
        tally.events += _recheck(claim_id, tally)
    tally.alongside = alongside_result
    return tally


# Below this many claims one process checks them all: forking costs more than it saves.
PARALLEL_FROM = 20_000


def _split_point(heads: dict) -> int | None:
    """The claim id that halves the claims, when the check is worth two processes and may run
    in them: not inside a transaction (a forked process would not see its writes) nor on an
    in-memory database (it has nothing to share), and where processes fork."""
    if len(heads) < PARALLEL_FROM or connection.in_atomic_block:
        return None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return None
    if "fork" not in get_all_start_methods():
        return None
    ids = sorted(heads)
    return ids[len(ids) // 2]


def _verify_range(heads: dict, low: int, high: int, chunk_size: int, on_events) -> tuple:
    """The chains of claims with ids in [low, high): (their tally, the chains to check again,
    the orphans' event counts, the heads no event was seen for)."""
    tally = Tally()
    part = {pk: head for pk, head in heads.items() if low <= pk < high}
    rows = RowsByClaim(chunk_size, low=low, high=high)
    recheck, orphans = _verify_stream(tally, part, rows, chunk_size, on_events, low, high)
    return tally, recheck, orphans, part


def _verify_range_apart(heads: dict, low: int, high: int, chunk_size: int) -> tuple:
    """``_verify_range`` in a forked process, which then closes the connection it opened."""
    try:
        return _verify_range(heads, low, high, chunk_size, None)
    finally:
        connections.close_all()


def _verify_stream(
    tally: Tally,
    heads: dict,
    rows: RowsByClaim,
    chunk_size: int,
    on_events,
    low: int = 0,
    high: int = ALL,
) -> tuple[list, dict]:
    """Check every chain as it streams by, and replay it against its claim's rows; returns
    the chains to check again under a lock (perhaps written to meanwhile) and the event counts
    of chains whose claim is missing. Checked heads leave ``heads``."""
    recheck: list[int] = []
    orphans: dict[int, int] = {}
    for claim_id, chain in iter_chains(_streamed_events(chunk_size, low, high)):
        if on_events is not None:
            on_events(len(chain))
        head = heads.pop(claim_id, None)
        problem = verify_chain(claim_id, chain, head, streamed_hash)
        changed = differences(claim_id, replay(chain), rows.rows(claim_id))
        if head is None:
            orphans[claim_id] = len(chain)
            if problem:
                tally.orphan_problems[claim_id] = problem
            continue
        if (problem and chain[-1].sequence > head[0]) or changed:
            recheck.append(claim_id)  # perhaps written to since the heads or rows were read
            continue
        tally.events += len(chain)
        if problem:
            tally.problems[claim_id] = problem
    return recheck, orphans


def _note_emptied_claims(tally: Tally, heads: dict) -> None:
    """Claims that record events of which the table holds not one."""
    for claim_id, (length, head_hash) in heads.items():
        if length:
            tally.problems[claim_id] = ChainProblem(
                claim_id,
                None,
                1,
                f"missing; the claim records {length} events ending in {head_hash[:12]}, "
                "the table holds none: all its events were deleted",
            )


def _existing(claim_ids: list[int]) -> list[int]:
    found = []
    for start in range(0, len(claim_ids), LOOKUP_BATCH):
        batch = claim_ids[start : start + LOOKUP_BATCH]
        found.extend(Claim.objects.filter(pk__in=batch).values_list("pk", flat=True))
    return found


def _recheck(claim_id: int, tally: Tally) -> int:
    """Verify one chain and its rows again with its claim row locked, as the services lock it
    to write."""
    with transaction.atomic():
        head = (
            Claim.objects.select_for_update()
            .filter(pk=claim_id)
            .values_list("audit_length", "audit_head")
            .first()
        )
        chain = list(_event_rows(AuditEvent.objects.filter(claim_id=claim_id)))
        rows = RowsByClaim(claim_ids=[claim_id]).rows(claim_id)
    problem = verify_chain(claim_id, chain, head)
    if problem:
        tally.problems[claim_id] = problem
    elif changed := differences(claim_id, replay(chain), rows):
        tally.row_problems[claim_id] = changed
    return len(chain)

"""Signed checkpoints of the desk-wide audit log, and their verification.

Every audit event gets a place in one append-only log (``AuditLogEntry``, given in id order when
a checkpoint is made); the log's leaves are the events' hashes, folded into an RFC 9162 Merkle
tree (``claims.audit.merkle``). A checkpoint signs the tree's size and root with the desk's
Ed25519 key (``claims.audit.signing``) and is written outside the database as well. Someone who
rewrites an event and recomputes every hash of its chain, and the claim's head, still cannot
make the log's first n leaves fold to a root that was signed before: ``verify_checkpoints``
recomputes the tree and catches it, at every checkpoint the rewrite is older than.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from claims import clock
from claims.models import AuditCheckpoint, AuditLogEntry, AuditTile

from . import merkle
from .signing import (
    TreeHead,
    has_signing_key,
    key_id,
    log_origin,
    public_key_from,
    sign,
    signature_holds,
    signing_key,
)

LEAF_CHUNK = 10_000
TILE = AuditTile.TILE_LEAVES
EXTEND_LOG_LOCK = 0x66635F617564_6974  # "fc_audit": the advisory lock's key, this desk's own


def extend_log() -> int:
    """Give every event not in the log yet the next place, in the order of their ids, and
    return the log's size. One statement, so a million events are placed in seconds."""
    return _extend(collect=False)[0]


def _extend(*, collect: bool) -> tuple[int, int, list | None]:
    """Extend the log: (its size before, after, and, on PostgreSQL when ``collect``, the
    new places with their leaf hashes, taken in the same statement that wrote them)."""
    postgres = connection.vendor == "postgresql"
    placed = None
    with transaction.atomic():
        if postgres:
            # One extender at a time: two would hand out the same places. An advisory lock,
            # not LOCK TABLE: every mode above ROW EXCLUSIVE needs UPDATE, DELETE or TRUNCATE
            # on the table, which the app's role is refused (README, Deployment).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [EXTEND_LOG_LOCK])
        size = AuditLogEntry.objects.count()
        unplaced = (
            "SELECT %s + ROW_NUMBER() OVER (ORDER BY e.id) - 1 AS position, e.id AS event_id"
            "{leaf} FROM claims_auditevent e WHERE NOT EXISTS "
            "(SELECT 1 FROM claims_auditlogentry l WHERE l.event_id = e.id)"
        )
        with connection.cursor() as cursor:
            if postgres and collect:
                # The first checkpoint of a large desk places a million events: reading their
                # leaves back with a second join took as long as placing them.
                cursor.execute(
                    "WITH placed AS ("  # noqa: S608 - constant SQL; the size is a parameter
                    + unplaced.format(leaf=", e.hash")
                    + "), stored AS (INSERT INTO claims_auditlogentry (position, event_id) "
                    "SELECT position, event_id FROM placed) "
                    "SELECT position, hash FROM placed",
                    [size],
                )
                # Sorted here: they come nearly in order, which Python sorts in one pass.
                rows = sorted(cursor.fetchall())
                leaf_hash = merkle.leaf_hash
                placed = [(position, leaf_hash(bytes.fromhex(h or ""))) for position, h in rows]
                added = len(placed)
            else:
                cursor.execute(
                    "INSERT INTO claims_auditlogentry (position, event_id) "
                    + unplaced.format(leaf=""),
                    [size],
                )
                added = max(cursor.rowcount, 0)
    return size, size + added, placed


def leaves(start: int = 0, end: int | None = None) -> Iterator[tuple[int, bytes]]:
    """(position, leaf hash) from ``start`` on, in the log's order: each event's hash as the
    event table holds it (``verify_audit`` checks those against the events' content). Read
    with the driver's cursor, streamed: a million rows through the ORM took seconds more."""
    leaf_hash = merkle.leaf_hash
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            "SELECT l.position, e.hash FROM claims_auditlogentry l "
            "JOIN claims_auditevent e ON e.id = l.event_id "
            "WHERE l.position >= %s AND l.position < %s ORDER BY l.position",
            [start, end if end is not None else 2**62],
        )
        while rows := cursor.fetchmany(LEAF_CHUNK):
            for position, event_hash in rows:
                yield position, leaf_hash(bytes.fromhex(event_hash or ""))


def _resume(checkpoint: AuditCheckpoint | None) -> merkle.RootsAlong:
    if checkpoint is None:
        return merkle.RootsAlong()
    frontier = [bytes.fromhex(node) for node in checkpoint.frontier]
    return merkle.RootsAlong(checkpoint.tree_size, frontier)


def make_checkpoint(*, force: bool = False) -> AuditCheckpoint | None:
    """Extend the log, sign its head and keep the checkpoint (in the database and, with
    AUDIT_CHECKPOINT_DIR, in a file there). None when the log has not grown since the last
    checkpoint, unless ``force``."""
    key = signing_key()
    before, size, placed = _extend(collect=True)
    latest = AuditCheckpoint.objects.order_by("-tree_size", "-id").first()
    if latest is not None and latest.tree_size == size and not force:
        return None
    along = _resume(latest if latest is not None and latest.tree_size <= size else None)
    # Each run of TILE leaves completed now is kept as a tile: the fold makes its root anyway
    # (resumed from the frontier, a run begun before completes here too). The new leaves come
    # from the statement that placed them, when it gave them.
    tile_height = TILE.bit_length() - 1
    streamed = placed if placed is not None and along.size == before else leaves(along.size)
    tiles = []
    for position, leaf in streamed:
        if position != along.size:
            raise RuntimeError(f"The audit log has no entry at position {along.size}.")
        tile = along.add(leaf, tile_height)
        if tile is not None:
            tiles.append(AuditTile(index=position // TILE, hash=tile.hex()))
    AuditTile.objects.bulk_create(tiles)
    head = TreeHead(log_origin(), along.size, along.root(), clock.now().replace(microsecond=0))
    checkpoint = AuditCheckpoint.objects.create(
        origin=head.origin,
        tree_size=head.size,
        root_hash=head.root.hex(),
        created_at=head.time,
        key_id=key_id(key.public_key()),
        signature=sign(head, key),
        frontier=[node.hex() for node in along.frontier],
    )
    directory = settings.AUDIT_CHECKPOINT_DIR
    if directory:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        name = f"checkpoint-{head.size:012d}-{head.time:%Y%m%dT%H%M%S}.json"
        (path / name).write_text(checkpoint_json(checkpoint) + "\n")
    return checkpoint


def periodic_checkpoint() -> None:
    """The worker's hourly job (FACTCHECK_PERIODIC_JOBS): a checkpoint when the log has grown.
    A desk without a signing key makes none (the demo and the tests, unless they set one)."""
    if has_signing_key():
        make_checkpoint()


def checkpoint_document(checkpoint: AuditCheckpoint) -> dict:
    """A checkpoint as it is published: what was signed, the signature and the key's id."""
    head = _head(checkpoint)
    return {
        "origin": head.origin,
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash,
        "time": head.time.isoformat(),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
        "signed_text": head.text().decode(),
    }


def checkpoint_json(checkpoint: AuditCheckpoint) -> str:
    return json.dumps(checkpoint_document(checkpoint), indent=2)


def _head(checkpoint: AuditCheckpoint) -> TreeHead:
    return TreeHead(
        checkpoint.origin,
        checkpoint.tree_size,
        bytes.fromhex(checkpoint.root_hash),
        checkpoint.created_at,
    )


@dataclass(frozen=True)
class KeptCheckpoint:
    """A checkpoint read back: from the database, or from a file kept elsewhere."""

    where: str
    head: TreeHead
    key_id: str
    signature: str


class NotACheckpoint(ValueError):
    pass


def document_head(document: dict) -> TreeHead:
    """The tree head a published checkpoint states (``checkpoint_document``)."""
    return TreeHead(
        document["origin"],
        int(document["tree_size"]),
        bytes.fromhex(document["root_hash"]),
        parse_datetime(document["time"]),
    )


def read_checkpoint_file(path: str) -> KeptCheckpoint:
    """A checkpoint file as ``make_checkpoint`` writes it (or as an export carries it)."""
    try:
        document = json.loads(Path(path).read_text())
        head = document_head(document)
        return KeptCheckpoint(path, head, document["key_id"], document["signature"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise NotACheckpoint(f"{path} is not a checkpoint file ({error}).") from error


def stored_checkpoints() -> list[KeptCheckpoint]:
    return [
        KeptCheckpoint(f"checkpoint {c.pk}", _head(c), c.key_id, c.signature)
        for c in AuditCheckpoint.objects.order_by("tree_size", "id")
    ]


def desk_public_keys(extra: list[str] = ()) -> dict[str, object]:
    """The keys checkpoints may be signed with, by key id: the desk's own (from its private
    key, when configured), AUDIT_PUBLIC_KEYS (earlier keys, after a rotation) and ``extra``."""
    keys = [public_key_from(text) for text in [*settings.AUDIT_PUBLIC_KEYS, *extra]]
    if has_signing_key():
        keys.append(signing_key().public_key())
    return {key_id(key): key for key in keys}


@dataclass
class LogReport:
    size: int
    root: bytes
    checked: int
    problems: list[str]
    newest: KeptCheckpoint | None = None
    proof_length: int | None = None


def verify_checkpoints(
    extra: list[KeptCheckpoint] = (), public_keys: list[str] = (), *, keys: dict | None = None
) -> LogReport:
    """Check each checkpoint's signature and that the log today begins with the tree it
    signed: the root of the first ``size`` leaves, recomputed from the events' hashes, is the
    one signed. The newest checkpoint is also shown consistent with today's head by an RFC 9162
    consistency proof, as a verifier who keeps only checkpoints would check it."""
    keys = keys if keys is not None else desk_public_keys(list(public_keys))
    checkpoints = [*stored_checkpoints(), *extra]
    problems = []
    wanted: dict[int, list[KeptCheckpoint]] = {}
    for kept in checkpoints:
        key = keys.get(kept.key_id)
        if key is None:
            problems.append(f"{kept.where}: signed by key {kept.key_id}, which is not known here")
        elif not signature_holds(kept.head, kept.signature, key):
            problems.append(f"{kept.where}: the signature does not match what it states")
        wanted.setdefault(kept.head.size, []).append(kept)

    along = merkle.RootsAlong()
    all_leaves: list[bytes] = []
    if not checkpoints:
        return LogReport(0, along.root(), 0, [])
    roots_at = {0: merkle.EMPTY_ROOT} if 0 in wanted else {}
    for position, leaf in leaves():
        if position != along.size:
            problems.append(f"the log has no entry at position {along.size}")
            break
        along.add(leaf)
        all_leaves.append(leaf)
        if along.size in wanted:
            roots_at[along.size] = along.root()
    size, root = along.size, along.root()
    for tree_size, kept_here in sorted(wanted.items()):
        for kept in kept_here:
            if tree_size > size:
                problems.append(
                    f"{kept.where}: signed a log of {tree_size:,} events, but the log holds "
                    f"{size:,}: events were removed"
                )
            elif roots_at.get(tree_size) != kept.head.root:
                problems.append(
                    f"{kept.where}: the first {tree_size:,} events no longer hash to the root it "
                    "signed: history older than the checkpoint was rewritten"
                )
    report = LogReport(size, root, len(checkpoints), problems)
    usable = [k for k in checkpoints if 0 < k.head.size <= size]
    if usable:
        newest = max(usable, key=lambda kept: kept.head.size)
        proof = merkle.consistency_proof(all_leaves, newest.head.size, size)
        report.newest, report.proof_length = newest, len(proof)
        if not merkle.verify_consistency(newest.head.size, size, proof, newest.head.root, root):
            problems.append(f"{newest.where}: today's log is not a consistent extension of it")
    return report

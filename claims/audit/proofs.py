"""Proofs that a claim's history is in a signed checkpoint, for its readers to check.

A claim's latest event hashes its whole chain (each event covers the one before), so proving
that one event is a leaf of a signed tree proves the claim's history as of then. The proof is
RFC 9162's inclusion proof against the newest checkpoint, built from the tiles the checkpoints
keep (``AuditTile``) and one run of leaves, so one proof reads a few hundred rows, and an export
of many claims reuses every subtree it has computed.
"""

from collections.abc import Iterable

from django.db.models import F

from claims.models import AuditCheckpoint, AuditEvent, AuditTile

from . import merkle
from .checkpoints import checkpoint_document, leaves

TILE = AuditTile.TILE_LEAVES
NOT_YET = "not yet in a signed checkpoint"  # in the proof itself, so in English
BATCH = 500  # claims whose heads are looked up at once
SPAN_GAP = 8  # runs apart that are read in one query, with those between


class LogTree:
    """Subtree hashes of the log's first ``size`` leaves, from tiles and runs of leaves.

    Within a complete run every node is computed once, as the run's levels, and shared by the
    proofs of every event in it; subtrees wider than a run are memoized (a few thousand in a
    million-event log). Runs are read for a batch of proofs and let go after it
    (``forget_runs``), so an export of every claim holds one batch's runs at a time.
    """

    def __init__(self, size: int):
        self.size = size
        self._tiles = {
            index: bytes.fromhex(value)
            for index, value in AuditTile.objects.filter(index__lt=size // TILE).values_list(
                "index", "hash"
            )
        }
        self._runs: dict[int, list[bytes]] = {}
        self._levels: dict[int, list[list[bytes]]] = {}
        self._memo: dict[tuple[int, int], bytes] = {}
        self._above: dict[int, tuple[bytes, ...]] = {}  # a run's path above it, root first

    def _bounds(self, number: int) -> tuple[int, int]:
        return number * TILE, min((number + 1) * TILE, self.size)

    def _run(self, number: int) -> list[bytes]:
        if number not in self._runs:
            self.read_runs([number])
        return self._runs[number]

    def read_runs(self, numbers) -> None:
        """Read the runs of leaves numbered ``numbers`` not read yet: one query for each span
        of runs lying close together (those between them come too; reading a few runs more is
        cheaper than another query), so a batch of claims costs a few queries, not one each."""
        wanted = sorted({n for n in numbers if n not in self._runs and n * TILE < self.size})
        spans: list[list[int]] = []
        for number in wanted:
            if spans and number - spans[-1][1] <= SPAN_GAP:
                spans[-1][1] = number
            else:
                spans.append([number, number])
        for first, last in spans:
            for number in range(first, last + 1):
                self._runs[number] = []
            for position, leaf in leaves(first * TILE, self._bounds(last)[1]):
                self._runs[position // TILE].append(leaf)

    def forget_runs(self) -> None:
        """Let go of the runs read and their levels (the wider subtrees stay memoized)."""
        self._runs.clear()
        self._levels.clear()

    def _level(self, number: int, height: int) -> list[bytes]:
        """The nodes of ``height`` (2**height leaves each) of a complete run."""
        levels = self._levels.get(number)
        if levels is None:
            levels = [self._run(number)]
            while len(levels[-1]) > 1:
                below = levels[-1]
                levels.append(
                    [merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below), 2)]
                )
            self._levels[number] = levels
        return levels[height]

    def hash(self, start: int, end: int) -> bytes:
        """MTH of the leaves at [start, end)."""
        width = end - start
        number = start // TILE
        if width == 1:
            return self._run(number)[start % TILE]
        if width == TILE and start % TILE == 0 and number in self._tiles:
            return self._tiles[number]
        within_run = number == (end - 1) // TILE
        if within_run and width & (width - 1) == 0 and (number + 1) * TILE <= self.size:
            # An aligned power of two inside a complete run: one of the run's levels.
            height = width.bit_length() - 1
            return self._level(number, height)[(start % TILE) >> height]
        key = (start, end)
        if key in self._memo:
            return self._memo[key]
        k = 1 << ((width - 1).bit_length() - 1)
        node = merkle.node_hash(self.hash(start, start + k), self.hash(start + k, end))
        if not within_run:
            self._memo[key] = node
        return node

    def inclusion_proof(self, index: int) -> list[bytes]:
        """RFC 9162's PATH(index, D[size]), as ``merkle.inclusion_proof`` writes it. Above a
        complete run the path is the same for each of its leaves: it is kept, per run."""
        number = index // TILE
        above = self._above.get(number)
        if above is not None:
            path, start, end = list(above), number * TILE, (number + 1) * TILE
        else:
            path, start, end = [], 0, self.size
        while end - start > 1:
            if above is None and start == number * TILE and end - start == TILE:
                above = self._above[number] = tuple(path)
            k = 1 << ((end - start - 1).bit_length() - 1)
            if index < start + k:
                path.append(self.hash(start + k, end))
                end = start + k
            else:
                path.append(self.hash(start, start + k))
                start += k
        return list(reversed(path))


def _heads(claim_ids: list[int]) -> dict[int, tuple[int, str, int | None]]:
    """Each claim's latest event: (its sequence, its hash, its place in the log or None)."""
    found = {}
    for offset in range(0, len(claim_ids), BATCH):
        rows = AuditEvent.objects.filter(
            claim_id__in=claim_ids[offset : offset + BATCH], sequence=F("claim__audit_length")
        ).values_list("claim_id", "sequence", "hash", "log_entry__position")
        for claim_id, sequence, event_hash, position in rows:
            found[claim_id] = (sequence, event_hash, position)
    return found


class VerdictProofs:
    """Proofs for many claims against the newest checkpoint, sharing one LogTree."""

    def __init__(self):
        self.checkpoint = AuditCheckpoint.objects.order_by("-tree_size", "-id").first()
        self.tree = LogTree(self.checkpoint.tree_size) if self.checkpoint else None
        self.document = checkpoint_document(self.checkpoint) if self.checkpoint else None

    def for_claims(self, claim_ids: Iterable[int]) -> dict[int, dict]:
        """Each claim's proof (see ``proof``), by id."""
        heads = _heads(list(claim_ids))
        if self.tree is not None:
            self.tree.read_runs(
                position // TILE
                for _sequence, _hash, position in heads.values()
                if position is not None and position < self.tree.size
            )
        proven = {claim_id: self._proof(*head) for claim_id, head in heads.items()}
        if self.tree is not None:
            self.tree.forget_runs()
        return proven

    def _proof(self, sequence: int, event_hash: str, position: int | None) -> dict:
        """What a reader needs: the event, its place, the path and the signed checkpoint; or,
        for an event newer than the checkpoint, why there is no proof yet."""
        proof = {"event_sequence": sequence, "event_hash": event_hash}
        if self.checkpoint is None or position is None or position >= self.checkpoint.tree_size:
            return {**proof, "included": False, "reason": NOT_YET}
        return {
            **proof,
            "included": True,
            "leaf_index": position,
            "tree_size": self.checkpoint.tree_size,
            "inclusion_proof": [node.hex() for node in self.tree.inclusion_proof(position)],
            "checkpoint": self.document,
        }

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


class LogTree:
    """Subtree hashes of the log's first ``size`` leaves, from tiles and leaves, memoized."""

    def __init__(self, size: int):
        self.size = size
        self._tiles = {
            index: bytes.fromhex(value)
            for index, value in AuditTile.objects.filter(index__lt=size // TILE).values_list(
                "index", "hash"
            )
        }
        self._runs: dict[int, list[bytes]] = {}
        self._memo: dict[tuple[int, int], bytes] = {}

    def _run(self, number: int) -> list[bytes]:
        if number not in self._runs:
            start = number * TILE
            end = min(start + TILE, self.size)
            self._runs[number] = [leaf for _position, leaf in leaves(start, end)]
        return self._runs[number]

    def hash(self, start: int, end: int) -> bytes:
        """MTH of the leaves at [start, end)."""
        if end - start == 1:
            return self._run(start // TILE)[start % TILE]
        if end - start == TILE and start % TILE == 0 and start // TILE in self._tiles:
            return self._tiles[start // TILE]
        key = (start, end)
        if key not in self._memo:
            if start // TILE == (end - 1) // TILE:  # within one run: from its leaves
                run = self._run(start // TILE)
                self._memo[key] = merkle.root(run[start % TILE : start % TILE + end - start])
            else:
                k = 1 << ((end - start - 1).bit_length() - 1)
                self._memo[key] = merkle.node_hash(
                    self.hash(start, start + k), self.hash(start + k, end)
                )
        return self._memo[key]

    def inclusion_proof(self, index: int) -> list[bytes]:
        """RFC 9162's PATH(index, D[size]), as ``merkle.inclusion_proof`` writes it."""
        proof: list[bytes] = []
        start, end = 0, self.size
        while end - start > 1:
            k = 1 << ((end - start - 1).bit_length() - 1)
            if index < start + k:
                proof.append(self.hash(start + k, end))
                end = start + k
            else:
                proof.append(self.hash(start, start + k))
                start += k
        return list(reversed(proof))


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
        return {claim_id: self._proof(*head) for claim_id, head in heads.items()}

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

"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0) over the audit log's leaves.

Hand-written because the algorithms are short and fixed by the RFC, and no well-kept Python
library offers them without a whole transparency-log server around them. Hashes are bytes:
a leaf's is SHA-256(0x00 || data), an interior node's SHA-256(0x01 || left || right), so no
leaf can pass for a node. The tree of n leaves splits at the largest power of two below n.

Proof verification follows RFC 9162 section 2.1.3.2 (inclusion) and 2.1.4.2 (consistency)
word for word, so a reader can check a desk's proofs with any implementation of the RFC; the
stand-alone script in ``claims/audit/verify_proof.py`` does it with this module alone.
"""

import hashlib
from collections.abc import Iterable, Sequence


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the leaf hashes ``leaves``."""
    if not leaves:
        return EMPTY_ROOT
    return _subtree(leaves, 0, len(leaves))


def _subtree(leaves: Sequence[bytes], start: int, end: int) -> bytes:
    if end - start == 1:
        return leaves[start]
    k = _split(end - start)
    return node_hash(_subtree(leaves, start, start + k), _subtree(leaves, start + k, end))


class RootsAlong:
    """The tree's root after each leaf, taken as leaves stream by, in O(log n) memory.

    ``add`` takes leaf hashes in order; ``root()`` is the root of the leaves so far. A compact
    range (one perfect subtree per set bit of the size) is all that is kept, so a million leaves
    are folded once, and the roots at every checkpoint's size come out of the same pass.
    """

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()):
        """A fold resumed at ``size`` leaves from its ``frontier`` (see ``frontier``)."""
        self.size = size
        self._stack: list[bytes] = list(frontier)  # perfect subtrees, largest first

    @property
    def frontier(self) -> list[bytes]:
        """The compact range: all that a later fold needs to resume from this size."""
        return list(self._stack)

    def add(self, leaf: bytes, tile_height: int | None = None) -> bytes | None:
        """Fold in the next leaf; returns the perfect subtree of ``tile_height`` (2**height
        leaves) that this leaf completes, if it completes one, which the log keeps as a tile."""
        node = leaf
        size = self.size
        height = 0
        completed = None
        while size & 1:  # merge with the equal-sized subtree to the left
            node = node_hash(self._stack.pop(), node)
            size >>= 1
            height += 1
            if height == tile_height:
                completed = node
        self._stack.append(node)
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def inclusion_proof(leaves: Sequence[bytes], index: int, size: int | None = None) -> list[bytes]:
    """PATH(index, D[size]): the sibling hashes from leaf ``index`` up to the root."""
    size = len(leaves) if size is None else size
    if not 0 <= index < size <= len(leaves):
        raise ValueError("the leaf is not in a tree of that size")
    return _path(leaves, index, 0, size)


def _path(leaves: Sequence[bytes], m: int, start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(leaves, m, start, start + k), _subtree(leaves, start + k, end)]
    return [*_path(leaves, m - k, start + k, end), _subtree(leaves, start, start + k)]


def consistency_proof(leaves: Sequence[bytes], old_size: int, size: int | None = None) -> list:
    """PROOF(old_size, D[size]): what shows the tree of ``size`` leaves extends the first
    ``old_size`` of them (RFC 9162 2.1.4.1)."""
    size = len(leaves) if size is None else size
    if not 0 < old_size <= size <= len(leaves):
        raise ValueError("no consistency proof between these sizes")
    if old_size == size:
        return []
    return _subproof(leaves, old_size, 0, size, True)


def _subproof(leaves, m: int, start: int, end: int, complete: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [_subtree(leaves, start, end)]
    k = _split(n)
    if m <= k:
        return [*_subproof(leaves, m, start, start + k, complete), _subtree(leaves, start + k, end)]
    return [*_subproof(leaves, m - k, start + k, end, False), _subtree(leaves, start, start + k)]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Iterable[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does ``proof`` place ``leaf`` at ``index`` of a tree with that root?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(
    old_size: int, size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> bool:
    """RFC 9162 2.1.4.2: is the tree (size, new_root) an extension of (old_size, old_root)?"""
    if old_size == size:
        return not proof and old_root == new_root
    if not 0 < old_size < size or not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0

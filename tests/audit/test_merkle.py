"""The RFC 9162 tree: roots, inclusion and consistency proofs, checked both ways for every
tree and leaf up to 33 leaves, and against roots worked out by hand from the definition."""

import hashlib

import pytest

from claims.audit import merkle

LEAVES = [merkle.leaf_hash(bytes([i])) for i in range(33)]


def h(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def test_roots_follow_the_definition():
    a, b, c = (merkle.leaf_hash(x) for x in (b"a", b"b", b"c"))
    assert a == h(b"\x00a")
    assert merkle.root([]) == h(b"")
    assert merkle.root([a]) == a
    assert merkle.root([a, b]) == h(b"\x01", a, b)
    # Three leaves split at two: (a b) then c.
    assert merkle.root([a, b, c]) == h(b"\x01", h(b"\x01", a, b), c)


def test_streamed_roots_equal_the_recursive_ones():
    along = merkle.RootsAlong()
    assert along.root() == merkle.EMPTY_ROOT
    for size in range(1, len(LEAVES) + 1):
        along.add(LEAVES[size - 1])
        assert along.root() == merkle.root(LEAVES[:size])


@pytest.mark.parametrize("size", range(1, 34))
def test_every_leaf_has_a_proof_and_no_other_leaf_fits_it(size):
    tree = LEAVES[:size]
    top = merkle.root(tree)
    for index in range(size):
        proof = merkle.inclusion_proof(tree, index)
        assert merkle.verify_inclusion(tree[index], index, size, proof, top)
        other = (index + 1) % size
        if other != index:
            assert not merkle.verify_inclusion(tree[other], index, size, proof, top)
            assert not merkle.verify_inclusion(tree[index], other, size, proof, top)


@pytest.mark.parametrize("size", range(1, 34))
def test_every_older_tree_is_proved_consistent_and_a_rewrite_is_not(size):
    new_root = merkle.root(LEAVES[:size])
    for old_size in range(1, size + 1):
        old_root = merkle.root(LEAVES[:old_size])
        proof = merkle.consistency_proof(LEAVES, old_size, size)
        assert merkle.verify_consistency(old_size, size, proof, old_root, new_root)
        rewritten = [merkle.leaf_hash(b"forged"), *LEAVES[1:size]]
        forged_root = merkle.root(rewritten)
        forged_proof = merkle.consistency_proof(rewritten, old_size, size)
        assert not merkle.verify_consistency(old_size, size, forged_proof, old_root, forged_root)

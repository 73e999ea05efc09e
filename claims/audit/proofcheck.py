"""Check a desk's audit proofs with its public key alone: no database, no Django.

    python proofcheck.py verdicts.json PUBLIC_KEY

``verdicts.json`` is the desk's JSON export (or one claim's object from it); ``PUBLIC_KEY`` is
the base64 key ``manage.py audit_key`` prints. Each claim's ``audit_proof`` says that its latest
event, which hashes the claim's whole history, is a leaf of the audit log at a place, under the
root of a checkpoint the key signed. Needs this file, ``merkle.py`` beside it, and the
``cryptography`` package; exits 1 when any proof fails.
"""

import base64
import binascii
import itertools
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

try:
    from . import merkle
except ImportError:  # run as a script, beside merkle.py
    import merkle


# What a check may find, in English: the desk's pages show each in the reader's language
# (``claims.audit.public``); this file stays free of Django.
NO_PROOF = "no proof"
BAD_SIGNATURE = "the checkpoint's signature does not hold for this key"
OTHER_TREE = "the proof is for another tree than the signed one"
NOT_IN_TREE = "the event is not in the signed tree at the place the proof gives"
UNLINKED = "event {sequence} does not link to the one before it"
OTHER_EVENT = "the proof is for another event than the history's last"


def signed_head(checkpoint: dict) -> tuple[int, bytes]:
    """The tree size and root the checkpoint's signed text states (origin, size, root, time)."""
    lines = checkpoint["signed_text"].split("\n")
    return int(lines[1]), base64.b64decode(lines[2])


def check(proof: dict, public_key: Ed25519PublicKey) -> list[str]:
    """What is wrong with ``proof``; empty when it holds."""
    if not proof or not proof.get("included"):
        return [(proof or {}).get("reason") or NO_PROOF]
    checkpoint = proof["checkpoint"]
    problems = []
    try:
        public_key.verify(
            base64.b64decode(checkpoint["signature"]), checkpoint["signed_text"].encode()
        )
    except (InvalidSignature, ValueError, binascii.Error):
        return [BAD_SIGNATURE]
    size, root = signed_head(checkpoint)
    if int(proof["tree_size"]) != size:
        problems.append(OTHER_TREE)
    leaf = merkle.leaf_hash(bytes.fromhex(proof["event_hash"]))
    path = [bytes.fromhex(node) for node in proof["inclusion_proof"]]
    if not merkle.verify_inclusion(leaf, int(proof["leaf_index"]), size, path, root):
        problems.append(NOT_IN_TREE)
    return problems


def check_claim(claim: dict, public_key: Ed25519PublicKey) -> list[str]:
    """A claim's proof, and that it proves the history the export shows: the events link up,
    and the last is the event proved."""
    proof = claim.get("audit_proof")
    problems = check(proof, public_key)
    history = claim.get("history") or []
    for before, event in itertools.pairwise(history):
        if event["previous_hash"] != before["hash"]:
            problems.append(UNLINKED.format(sequence=event["sequence"]))
    if history and proof and history[-1]["hash"] != proof.get("event_hash"):
        problems.append(OTHER_EVENT)
    return problems


def public_key_from(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as file:
        document = json.load(file)
    key = public_key_from(argv[2])
    claims = document if isinstance(document, list) else [document]
    failed = 0
    for claim in claims:
        problems = check_claim(claim, key)
        if problems:
            failed += 1
            print(f"claim {claim.get('id')}: " + "; ".join(problems))
        else:
            size, _root = signed_head(claim["audit_proof"]["checkpoint"])
            print(f"claim {claim.get('id')}: history included in the signed log of {size:,} events")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""What the public verification pages show: a published verdict and the proof that its history
is in the desk's newest signed checkpoint, checked here with the desk's public key as any reader
can check it again with ``claims/audit/proofcheck.py``.

Only published verdicts are shown: a claim the desk has not published is not found, so the
pages tell nobody outside the desk which claims it is working on.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import AuditCheckpoint, AuditEvent, Claim
from claims.signoff.selectors import published_claims

from . import proofcheck
from .checkpoints import checkpoint_document, desk_public_keys
from .proofs import NOT_YET, VerdictProofs
from .signing import has_signing_key, key_id, public_key_text, signing_key

# The check's findings (proofcheck.py writes them in English, for any reader) as shown here.
FINDINGS = {
    proofcheck.NO_PROOF: gettext_lazy("there is no proof"),
    proofcheck.BAD_SIGNATURE: gettext_lazy("the checkpoint's signature does not hold for this key"),
    proofcheck.OTHER_TREE: gettext_lazy("the proof is for another tree than the signed one"),
    proofcheck.NOT_IN_TREE: gettext_lazy(
        "the event is not in the signed tree at the place the proof gives"
    ),
    proofcheck.OTHER_EVENT: gettext_lazy("the proof is for another event than the history's last"),
    NOT_YET: gettext_lazy(
        "its latest change is not in a signed checkpoint yet (one is signed every hour)"
    ),
}


@dataclass
class DeskKey:
    public_key: str
    key_id: str


def desk_key() -> DeskKey | None:
    """The public key readers check the desk's checkpoints with (None: the desk signs none)."""
    if not has_signing_key():
        return None
    key = signing_key().public_key()
    return DeskKey(public_key_text(key), key_id(key))


def newest_checkpoint() -> dict | None:
    checkpoint = AuditCheckpoint.objects.order_by("-tree_size", "-id").first()
    return checkpoint_document(checkpoint) if checkpoint else None


def published_claim(pk) -> Claim:
    """A claim whose verdict the public sees; Claim.DoesNotExist for any other."""
    return published_claims(Claim.objects.all()).get(pk=pk)


def verdict_document(claim: Claim) -> dict:
    """The verdict as a reader downloads it to check: what was published, the history's hashes
    (their links, not their contents, which hold the desk's internal work) and the proof."""
    history = list(
        AuditEvent.objects.filter(claim_id=claim.pk)
        .order_by("sequence")
        .values("sequence", "previous_hash", "hash")
    )
    return {
        "id": claim.pk,
        "text": claim.text,
        "claimant": claim.claimant,
        "state": claim.state,
        "rationale": claim.rationale,
        "published_at": claim.published_at.isoformat() if claim.published_at else None,
        "corrected_at": claim.corrected_at.isoformat() if claim.corrected_at else None,
        "history": history,
        "audit_proof": VerdictProofs().for_claims([claim.pk]).get(claim.pk),
    }


def verdict_check(document: dict) -> list[str]:
    """What is wrong with the verdict's proof, checked with every key the desk signs with; empty
    when it holds. Without a key nothing can be checked, and that is said."""
    keys = desk_public_keys()
    if not keys:
        return [_("this desk signs no checkpoints yet")]
    proof = document.get("audit_proof") or {}
    signer = keys.get((proof.get("checkpoint") or {}).get("key_id"))
    if signer is None and proof.get("included"):
        return [_("the checkpoint was signed with a key this desk does not hold")]
    found = proofcheck.check_claim(document, signer or next(iter(keys.values())))
    return [
        str(FINDINGS.get(finding, _("its history's events do not link up"))) for finding in found
    ]

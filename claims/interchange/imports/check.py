"""What the services, the workflow and the database would refuse, said before any write.

A claim the file repeats, or one already on file, is refused by its values compared, never by a
hash of them alone: two different claims may share a hash, and the second would be refused.
"""

from django.utils.translation import gettext as _

from claims.interchange.imports.fields import RecordFields
from claims.interchange.imports.records import ImportedClaim, RecordProblems
from claims.models import Claim, ReviewState, Stance
from claims.workflow import REQUIRED_STANCE


def check_claim(fields: RecordFields, claim: ImportedClaim) -> RecordProblems:
    """The record's problems, after those its fields had: duplicate links, a verdict's needs."""
    seen = set()
    for number, evidence in enumerate(claim.evidence, start=1):
        if evidence.retracted_at is None and evidence.normalized_url:
            key = (evidence.stance, evidence.normalized_url)
            if key in seen:
                fields.fail(
                    f"evidence {number}",
                    _("duplicate %(stance)s link %(url)s")
                    % {"stance": evidence.stance, "url": evidence.url},
                )
            seen.add(key)
    if claim.state == ReviewState.CORROBORATED and not claim.standing(Stance.SUPPORTS):
        fields.fail("state", _("corroborated needs at least one standing supporting link"))
    if claim.state == ReviewState.DISPUTED and not claim.standing(Stance.CONTRADICTS):
        fields.fail("state", _("disputed needs at least one standing contradicting link"))
    if claim.state in REQUIRED_STANCE and not claim.rationale:
        fields.fail(
            "rationale",
            _("missing: a claim that is %(state)s needs its rationale") % {"state": claim.state},
        )
    _check_publication(fields, claim)
    return fields.problems


def _check_publication(fields: RecordFields, claim: ImportedClaim) -> None:
    """What a publication needs: a correction corrects a verdict published before it, and
    says why in its public note (the database refuses a correction without one)."""
    published = claim.published_at
    if published is None and (claim.corrections or claim.corrected_at):
        fields.fail(
            "published_at",
            _("missing: a corrected verdict was published before its first correction"),
        )
    for number, correction in enumerate(claim.corrections, start=1):
        label = f"correction {number}"
        if correction.published_at is None:
            fields.fail(f"{label} published_at", _("missing"))
        elif published is not None and correction.published_at < published:
            fields.fail(
                f"{label} published_at",
                _("before the verdict was first published (published_at)"),
            )
        if not correction.correction_note:
            fields.fail(
                f"{label} correction_note", _("missing: a correction needs its public note")
            )


class FileDuplicates:
    """Claims the file holds twice: the same number, or the same text, claimant and date."""

    def __init__(self):
        self.ids: dict[int, int] = {}
        self.claims: dict[bytes, int] = {}

    def problems(self, claim: ImportedClaim) -> list[str]:
        """What repeats an earlier record of the file; the claim is remembered either way."""
        problems = []
        if claim.original_id is not None:
            if claim.original_id in self.ids:
                problems.append(
                    _("line %(line)d, id: duplicate claim %(id)d (also on line %(first)d)")
                    % {
                        "line": claim.line,
                        "id": claim.original_id,
                        "first": self.ids[claim.original_id],
                    }
                )
            self.ids[claim.original_id] = claim.line
        first = self.claims.setdefault(_identity_key(claim), claim.line)
        if first != claim.line:
            problems.append(
                _(
                    "line %(line)d, text: duplicate claim (same text, claimant and date as "
                    "line %(first)d)"
                )
                % {"line": claim.line, "first": first}
            )
        return problems


def _identity_key(claim: ImportedClaim) -> bytes:
    """The claim's text, claimant and date as one value, equal only for the same three values.

    Each length comes before its text, so no text can run into the next. One bytes object per
    claim of a large file, where a tuple of them would keep three more objects alive.
    """
    text, claimant, claimed_on = claim.identity
    key = f"{len(text)}:{text}{len(claimant)}:{claimant}{claimed_on or ''}"
    return key.encode("utf-8", "surrogatepass")


class OnFile:
    """Claims already on file, so that importing a file twice does not double them.

    The desk's claims are held as hashes (a desk may hold millions of long texts); a claim whose
    hash is among them is looked up by its values, which the claimant's index finds quickly.
    """

    def __init__(self):
        rows = Claim.objects.values_list("text", "claimant", "claimed_on").iterator(5000)
        self.hashes = {hash(row) for row in rows}

    def __contains__(self, claim: ImportedClaim) -> bool:
        if hash(claim.identity) not in self.hashes:
            return False
        text, claimant, claimed_on = claim.identity
        return Claim.objects.filter(text=text, claimant=claimant, claimed_on=claimed_on).exists()

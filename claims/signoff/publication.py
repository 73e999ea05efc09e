"""Applying a verdict to a claim, and recording the publication the public sees.

One function for both ways a verdict takes effect: directly, on a desk without sign-off, and by
a second editor's sign-off. So a claim's ``published_at``, ``corrected_at`` and its
``Publication`` rows mean the same whichever way it went.
"""

from dataclasses import dataclass

from claims import clock
from claims.models import Claim, Proposal, Publication, ReviewState


@dataclass(frozen=True)
class Verdict:
    """What a move makes public: the state, its rationale and, for a correction, the note."""

    state: str
    rationale: str
    correction_note: str = ""


def apply_verdict(
    claim: Claim, verdict: Verdict, *, proposed_by, approved_by, proposal: Proposal | None = None
) -> tuple[list[str], dict]:
    """Set the claim's state and rationale and publish them (the claim row is locked by the
    caller, who saves the returned fields with its audit event); returns those fields and the
    event data: old and new, and the correction note when it corrects a published verdict."""
    now = clock.now()
    old = {"state": claim.state, "rationale": claim.rationale}
    correcting = claim.published_at is not None
    publishes = correcting or verdict.state != ReviewState.UNVERIFIED
    claim.state, claim.rationale = verdict.state, verdict.rationale
    fields = ["state", "rationale"]
    if old["state"] != verdict.state:
        claim.state_changed_at = now
        fields.append("state_changed_at")
    if verdict.state != ReviewState.UNVERIFIED and claim.first_verdict_at is None:
        claim.first_verdict_at = now
        fields.append("first_verdict_at")
    data = {"old": old, "new": {"state": claim.state, "rationale": claim.rationale}}
    if publishes:
        Publication.objects.create(
            claim=claim,
            published_at=now,
            state=verdict.state,
            rationale=verdict.rationale,
            is_correction=correcting,
            previous_state=old["state"] if correcting else "",
            previous_rationale=old["rationale"] if correcting else "",
            correction_note=verdict.correction_note if correcting else "",
            proposal=proposal,
            proposed_by=proposed_by,
            approved_by=approved_by,
            without_signoff=proposal is None,
        )
        if correcting:
            claim.corrected_at = now
            fields.append("corrected_at")
            data["correction_note"] = verdict.correction_note
        else:
            claim.published_at = now
            fields.append("published_at")
        data["published_at"] = now.isoformat()
    return fields, data

"""The transition table and its preconditions, exercised through claim_change_state."""

import pytest
from django.core.exceptions import ValidationError

from claims import services, workflow
from claims.models import ReviewState, Stance

from .conftest import add_evidence, change_state


def test_new_claim_is_unverified(claim):
    assert claim.state == ReviewState.UNVERIFIED


def test_corroborated_requires_supporting_evidence(claim, editor):
    add_evidence(claim, editor, Stance.CONTRADICTS)
    with pytest.raises(ValidationError) as refusal:
        change_state(claim, editor, ReviewState.CORROBORATED)
    assert "supporting" in str(refusal.value.message_dict["state"])
    claim.refresh_from_db()
    assert claim.state == ReviewState.UNVERIFIED


def test_disputed_requires_contradicting_evidence(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS)
    with pytest.raises(ValidationError) as refusal:
        change_state(claim, editor, ReviewState.DISPUTED)
    assert "contradicting" in str(refusal.value.message_dict["state"])


def test_retracted_evidence_does_not_count_towards_a_verdict(claim, editor):
    first = add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/1")
    add_evidence(claim, editor, Stance.CONTRADICTS, url="https://a.example/2")
    services.evidence_retract(actor=editor, evidence=first, reason="Wrong page")
    with pytest.raises(ValidationError, match="supporting"):
        change_state(claim, editor, ReviewState.CORROBORATED)


@pytest.mark.parametrize("rationale", ["", "   "])
def test_every_move_needs_a_rationale(claim, editor, rationale):
    add_evidence(claim, editor, Stance.SUPPORTS)
    with pytest.raises(ValidationError) as refusal:
        change_state(claim, editor, ReviewState.CORROBORATED, rationale=rationale)
    assert "rationale" in refusal.value.message_dict


def test_move_to_current_state_is_refused(claim, editor):
    with pytest.raises(ValidationError, match="already unverified"):
        change_state(claim, editor, ReviewState.UNVERIFIED)


def test_unknown_state_is_refused(claim, editor):
    with pytest.raises(ValidationError, match="not a review state"):
        change_state(claim, editor, "retracted")


def test_corroborate_then_dispute_then_reopen_with_reason(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/s")
    add_evidence(claim, editor, Stance.CONTRADICTS, url="https://a.example/c")
    claim = change_state(claim, editor, ReviewState.CORROBORATED, "Two records agree.")
    assert claim.first_verdict_at is not None
    first_verdict = claim.first_verdict_at
    claim = change_state(
        claim, editor, ReviewState.DISPUTED, "A later record contradicts it.", "We erred."
    )
    claim = change_state(
        claim, editor, ReviewState.UNVERIFIED, "New material came in.", "Under review again."
    )
    assert claim.state == ReviewState.UNVERIFIED
    assert claim.rationale == "New material came in."
    assert claim.first_verdict_at == first_verdict  # the first verdict is kept for desk figures


def test_allowed_targets_follow_the_evidence(claim, editor):
    assert workflow.allowed_targets(claim) == []
    add_evidence(claim, editor, Stance.SUPPORTS)
    assert [t.target for t in workflow.allowed_targets(claim)] == [ReviewState.CORROBORATED]
    add_evidence(claim, editor, Stance.CONTRADICTS)
    targets = {t.target for t in workflow.allowed_targets(claim)}
    assert targets == {ReviewState.CORROBORATED, ReviewState.DISPUTED}
    claim = change_state(claim, editor, ReviewState.DISPUTED)
    targets = [(t.target, str(t.label)) for t in workflow.allowed_targets(claim)]
    # Published now: keeping the verdict with a corrected rationale is a move too.
    assert targets == [
        (ReviewState.CORROBORATED, "Corroborate"),
        (ReviewState.UNVERIFIED, "Reopen as unverified"),
        (ReviewState.DISPUTED, "Keep this verdict, correct its rationale"),
    ]


def test_retracting_the_last_link_a_verdict_needs_is_refused(claim, editor):
    link = add_evidence(claim, editor, Stance.SUPPORTS)
    claim = change_state(claim, editor, ReviewState.CORROBORATED)
    with pytest.raises(ValidationError, match="Move the claim's state first"):
        services.evidence_retract(actor=editor, evidence=link, reason="Bad link")
    link.refresh_from_db()
    claim.refresh_from_db()
    assert link.is_standing
    assert claim.supporting_count == 1


def test_retracting_one_of_two_links_a_verdict_needs_is_allowed(claim, editor):
    link = add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/1")
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/2")
    claim = change_state(claim, editor, ReviewState.CORROBORATED)
    services.evidence_retract(actor=editor, evidence=link, reason="Duplicate source")
    claim.refresh_from_db()
    assert claim.supporting_count == 1
    assert claim.state == ReviewState.CORROBORATED


def test_retracting_a_link_the_state_does_not_need_is_allowed(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/1")
    against = add_evidence(claim, editor, Stance.CONTRADICTS, url="https://a.example/2")
    claim = change_state(claim, editor, ReviewState.CORROBORATED)
    services.evidence_retract(actor=editor, evidence=against, reason="Misread")
    claim.refresh_from_db()
    assert claim.contradicting_count == 0


def test_after_reopening_the_last_link_can_be_retracted(claim, editor):
    link = add_evidence(claim, editor, Stance.CONTRADICTS)
    claim = change_state(claim, editor, ReviewState.DISPUTED)
    claim = change_state(
        claim, editor, ReviewState.UNVERIFIED, "Reopened to fix the link.", "Withdrawn for now."
    )
    services.evidence_retract(actor=editor, evidence=link, reason="Broken link")
    link.refresh_from_db()
    assert not link.is_standing


def test_database_refuses_a_verdict_without_standing_evidence(claim):
    """The check constraint backs the workflow up even against a direct write."""
    from django.db import IntegrityError, transaction

    from claims.models import Claim

    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(state=ReviewState.CORROBORATED)

"""Bulk services: one service call per claim; refusals named by reason, the rest written."""

from claims import services
from claims.models import Assignment, Claim, ReviewState, Stance
from tests.conftest import add_evidence, change_state, make_claim


def test_bulk_assign_writes_each_claim_and_names_the_refused(editor, reviewer):
    first, second = make_claim(editor, "First"), make_claim(editor, "Second")
    services.reviewer_assign(actor=editor, claim=second, reviewer=reviewer)
    outcome = services.claims_assign_reviewer(
        actor=editor, claims=[first, second], reviewer=reviewer
    )
    assert outcome.changed == [first]
    [(reason, refused)] = outcome.refused.items()
    assert "already has an open assignment" in reason
    assert refused == [second]
    assert Assignment.objects.filter(reviewer=reviewer).count() == 2


def test_bulk_state_change_checks_each_claim_against_its_version(editor):
    kept, moved, unsaid = (make_claim(editor, text) for text in ("Kept", "Moved", "Unsaid"))
    for claim in (kept, moved, unsaid):
        add_evidence(claim, editor, Stance.SUPPORTS)
        add_evidence(claim, editor, Stance.CONTRADICTS)
    versions = {c.pk: Claim.objects.get(pk=c.pk).version for c in (kept, moved)}
    change_state(Claim.objects.get(pk=moved.pk), editor, ReviewState.DISPUTED)  # meanwhile
    outcome = services.claims_change_state(
        actor=editor,
        claims=[kept, moved, unsaid],
        versions=versions,
        state=ReviewState.CORROBORATED,
        rationale="One rationale for all.",
    )
    assert outcome.changed == [kept]
    refused = {claim.pk: reason for reason, claims in outcome.refused.items() for claim in claims}
    assert "Someone else changed the claim" in refused[moved.pk]
    assert "did not say which version" in refused[unsaid.pk]
    assert Claim.objects.get(pk=kept.pk).state == ReviewState.CORROBORATED
    assert Claim.objects.get(pk=moved.pk).state == ReviewState.DISPUTED

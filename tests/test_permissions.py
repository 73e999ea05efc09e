"""Roles and per-claim rights: every refusal, and that a refusal writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from claims import services
from claims.models import Assignment, AuditEvent, ReviewState, Stance
from claims.permissions import (
    COMMENT_ACTIONS,
    SIGNOFF_ACTIONS,
    Action,
    available_actions,
    can,
    can_act_in_bulk,
)

from .conftest import add_evidence
from .factories import UserFactory

# A reviewer joins any claim's discussion, assigned or not (a colleague who mentions them may
# need their answer); everything else needs an open assignment.
DISCUSSION = {Action.VIEW} | COMMENT_ACTIONS
REVIEWER_ACTIONS = DISCUSSION | {
    Action.ADD_EVIDENCE,
    Action.CHANGE_STATE,
    Action.RETRACT_EVIDENCE,
    Action.COMPLETE_ASSIGNMENT,
}


def assert_refused_and_nothing_written(claim, call):
    count = AuditEvent.objects.filter(claim_id=claim.pk).count()
    with pytest.raises(PermissionDenied):
        call()
    assert AuditEvent.objects.filter(claim_id=claim.pk).count() == count


def test_editor_may_do_everything(claim, editor):
    """On a desk without sign-off an editor changes states directly; with it, they propose,
    sign off and return instead."""
    assert available_actions(editor, claim) == set(Action.values) - SIGNOFF_ACTIONS
    with override_settings(FACTCHECK_SIGNOFF=True):
        assert available_actions(editor, claim) == set(Action.values) - {Action.CHANGE_STATE}


def test_superuser_acts_as_editor(claim, superuser):
    assert available_actions(superuser, claim) == set(Action.values) - SIGNOFF_ACTIONS
    services.claim_update(
        actor=superuser,
        claim=claim,
        expected_version=claim.version,
        text="Edited by the admin",
        claimant=claim.claimant,
        claimed_on=None,
    )


def test_assigned_reviewer_may_review_but_not_manage(assigned_claim, reviewer):
    assert available_actions(reviewer, assigned_claim) == REVIEWER_ACTIONS


def test_unassigned_reviewer_may_only_view_and_discuss(claim, reviewer):
    assert available_actions(reviewer, claim) == DISCUSSION


def test_viewer_may_only_view(assigned_claim, viewer):
    assert available_actions(viewer, assigned_claim) == {Action.VIEW}


def test_user_without_a_role_may_do_nothing(claim, db):
    assert available_actions(UserFactory(username="nobody"), claim) == set()


def test_inactive_editor_may_do_nothing(claim, editor):
    editor.is_active = False
    editor.save()
    assert available_actions(editor, claim) == set()


def test_viewer_cannot_write_anything(assigned_claim, viewer, editor, source):
    claim = assigned_claim
    link = add_evidence(claim, editor)
    assignment = Assignment.objects.get(claim=claim)
    v = claim.version
    calls = [
        lambda: services.claim_create(actor=viewer, text="x", claimant="y"),
        lambda: services.claim_update(
            actor=viewer, claim=claim, expected_version=v, text="x", claimant="y", claimed_on=None
        ),
        lambda: services.evidence_add(
            actor=viewer,
            claim=claim,
            stance=Stance.SUPPORTS,
            url="https://a.example/v",
        ),
        lambda: services.evidence_retract(actor=viewer, evidence=link, reason="r"),
        lambda: services.reviewer_assign(actor=viewer, claim=claim, reviewer=viewer),
        lambda: services.reviewer_complete(actor=viewer, assignment=assignment),
        lambda: services.reviewer_withdraw(actor=viewer, assignment=assignment),
        lambda: services.claim_change_state(
            actor=viewer,
            claim=claim,
            expected_version=v,
            state=ReviewState.CORROBORATED,
            rationale="r",
        ),
        lambda: services.source_create(actor=viewer, title="A source"),
        lambda: services.source_update(
            actor=viewer, source=source, expected_version=1, title="Changed"
        ),
    ]
    for call in calls:
        assert_refused_and_nothing_written(claim, call)


def test_reviewer_cannot_create_edit_or_assign(assigned_claim, reviewer, other_reviewer):
    claim, v = assigned_claim, assigned_claim.version
    assert_refused_and_nothing_written(
        claim, lambda: services.claim_create(actor=reviewer, text="x", claimant="y")
    )
    assert_refused_and_nothing_written(
        claim,
        lambda: services.claim_update(
            actor=reviewer, claim=claim, expected_version=v, text="x", claimant="y", claimed_on=None
        ),
    )
    assert_refused_and_nothing_written(
        claim,
        lambda: services.reviewer_assign(actor=reviewer, claim=claim, reviewer=other_reviewer),
    )


def test_reviewer_cannot_withdraw_their_assignment(assigned_claim, reviewer):
    assignment = Assignment.objects.get(claim=assigned_claim)
    assert_refused_and_nothing_written(
        assigned_claim,
        lambda: services.reviewer_withdraw(actor=reviewer, assignment=assignment),
    )


def test_unassigned_reviewer_cannot_add_evidence_or_change_state(claim, reviewer, editor):
    add_evidence(claim, editor, Stance.SUPPORTS)
    assert_refused_and_nothing_written(
        claim,
        lambda: services.evidence_add(
            actor=reviewer,
            claim=claim,
            stance=Stance.SUPPORTS,
            url="https://a.example/r",
        ),
    )
    assert_refused_and_nothing_written(
        claim,
        lambda: services.claim_change_state(
            actor=reviewer,
            claim=claim,
            expected_version=claim.version,
            state=ReviewState.CORROBORATED,
            rationale="r",
        ),
    )


def test_assigned_reviewer_adds_evidence_and_changes_state(assigned_claim, reviewer):
    add_evidence(assigned_claim, reviewer, Stance.SUPPORTS)
    claim = services.claim_change_state(
        actor=reviewer,
        claim=assigned_claim,
        expected_version=assigned_claim.version,
        state=ReviewState.CORROBORATED,
        rationale="Matches the flight record.",
    )
    assert claim.state == ReviewState.CORROBORATED


def test_reviewer_retracts_their_own_link_but_not_others(assigned_claim, reviewer, editor):
    own = add_evidence(assigned_claim, reviewer, Stance.SUPPORTS, url="https://a.example/own")
    others = add_evidence(assigned_claim, editor, Stance.SUPPORTS, url="https://a.example/ed")
    assert can(reviewer, Action.RETRACT_EVIDENCE, assigned_claim, target=own)
    assert not can(reviewer, Action.RETRACT_EVIDENCE, assigned_claim, target=others)
    assert_refused_and_nothing_written(
        assigned_claim,
        lambda: services.evidence_retract(actor=reviewer, evidence=others, reason="r"),
    )
    services.evidence_retract(actor=reviewer, evidence=own, reason="Duplicate")


def test_reviewer_completes_only_their_own_assignment(
    assigned_claim, editor, other_reviewer, reviewer
):
    services.reviewer_assign(
        actor=editor,
        claim=assigned_claim,
        reviewer=other_reviewer,
    )
    assigned_claim.refresh_from_db()
    mine = Assignment.objects.get(claim=assigned_claim, reviewer=reviewer)
    assert_refused_and_nothing_written(
        assigned_claim,
        lambda: services.reviewer_complete(actor=other_reviewer, assignment=mine),
    )
    services.reviewer_complete(actor=reviewer, assignment=mine)


def test_reviewer_loses_rights_once_their_review_is_done(assigned_claim, reviewer):
    assignment = Assignment.objects.get(claim=assigned_claim)
    services.reviewer_complete(actor=reviewer, assignment=assignment)
    assigned_claim.refresh_from_db()
    assert available_actions(reviewer, assigned_claim) == DISCUSSION
    assert_refused_and_nothing_written(
        assigned_claim,
        lambda: services.evidence_add(
            actor=reviewer,
            claim=assigned_claim,
            stance=Stance.SUPPORTS,
            url="https://a.example/late",
        ),
    )


def test_withdrawn_reviewer_loses_rights(assigned_claim, reviewer, editor):
    assignment = Assignment.objects.get(claim=assigned_claim)
    services.reviewer_withdraw(actor=editor, assignment=assignment)
    assigned_claim.refresh_from_db()
    assert available_actions(reviewer, assigned_claim) == DISCUSSION


def test_refusal_message_names_the_action(claim, viewer):
    with pytest.raises(PermissionDenied, match="permission to edit this claim"):
        services.claim_update(
            actor=viewer,
            claim=claim,
            expected_version=claim.version,
            text="x",
            claimant="y",
            claimed_on=None,
        )


@pytest.mark.parametrize(
    ("role", "label"),
    [("editor", "Editor"), ("reviewer", "Reviewer"), ("viewer", "Viewer"), ("superuser", "Admin")],
)
def test_the_header_shows_the_role_from_the_users_rights(client, db, request, role, label):
    client.force_login(request.getfixturevalue(role))
    html = client.get("/claims/").content.decode()
    assert f'<span class="role">{label}</span>' in html


def test_only_editors_act_on_many_claims_at_once(editor, reviewer, viewer, superuser):
    assert can_act_in_bulk(editor)
    assert can_act_in_bulk(superuser)
    assert not can_act_in_bulk(reviewer)
    assert not can_act_in_bulk(viewer)
    editor.is_active = False
    assert not can_act_in_bulk(editor)

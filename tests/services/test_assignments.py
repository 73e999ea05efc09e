"""Assignment services: assigning, completing and withdrawing reviews, one event each."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.audit.actions import AuditAction
from claims.models import (
    Assignment,
    AssignmentStatus,
)
from tests.conftest import only_new_event


def test_reviewer_assign_writes_open_assignment_and_event(claim, editor, reviewer):
    before = claim.audit_length
    assignment = services.reviewer_assign(
        actor=editor,
        claim=claim,
        reviewer=reviewer,
        due_on=datetime.date(2026, 12, 1),
    )
    assert assignment.status == AssignmentStatus.OPEN
    assert assignment.assigned_by == editor
    event = only_new_event(claim, before)
    assert event.action == AuditAction.REVIEWER_ASSIGNED
    assert event.actor == editor
    assert event.data["assignment_id"] == assignment.pk
    assert event.data["new"] == {
        "reviewer_id": reviewer.pk,
        "reviewer": "Rita Reviewer",
        "due_on": "2026-12-01",
        "status": "open",
    }


def test_reviewer_assign_refuses_a_second_open_assignment(assigned_claim, editor, reviewer):
    with pytest.raises(ValidationError) as refusal:
        services.reviewer_assign(
            actor=editor,
            claim=assigned_claim,
            reviewer=reviewer,
        )
    assert "already has an open assignment" in refusal.value.message_dict["reviewer"][0]
    assert Assignment.objects.filter(claim=assigned_claim).count() == 1


def test_reviewer_assign_refuses_users_who_cannot_review(claim, editor, viewer):
    with pytest.raises(ValidationError) as refusal:
        services.reviewer_assign(actor=editor, claim=claim, reviewer=viewer)
    assert "is not a reviewer" in refusal.value.message_dict["reviewer"][0]


def test_a_reviewer_can_be_assigned_again_after_completing(assigned_claim, editor, reviewer):
    assignment = Assignment.objects.get(claim=assigned_claim)
    services.reviewer_complete(actor=reviewer, assignment=assignment)
    assigned_claim.refresh_from_db()
    services.reviewer_assign(
        actor=editor,
        claim=assigned_claim,
        reviewer=reviewer,
    )
    assert Assignment.objects.filter(claim=assigned_claim, reviewer=reviewer).count() == 2


def test_database_allows_one_open_assignment_per_reviewer_per_claim(assigned_claim, reviewer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(claim=assigned_claim, reviewer=reviewer)


def test_reviewer_complete_writes_done_and_event(assigned_claim, reviewer):
    assignment = Assignment.objects.get(claim=assigned_claim)
    before = assigned_claim.audit_length
    services.reviewer_complete(
        actor=reviewer,
        assignment=assignment,
        note="Checked both reports",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert assignment.closed_by == reviewer
    assert assignment.closed_at is not None
    event = only_new_event(assigned_claim, before)
    assert event.action == AuditAction.REVIEWER_COMPLETED
    assert event.actor == reviewer
    assert event.data["old"] == {"status": "open"}
    assert event.data["new"] == {"status": "done"}
    assert event.data["reason"] == "Checked both reports"


def test_reviewer_withdraw_writes_withdrawn_and_event(assigned_claim, editor):
    assignment = Assignment.objects.get(claim=assigned_claim)
    before = assigned_claim.audit_length
    services.reviewer_withdraw(
        actor=editor,
        assignment=assignment,
        reason="Reassigned to the Middle East desk",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN
    event = only_new_event(assigned_claim, before)
    assert event.action == AuditAction.REVIEWER_WITHDRAWN
    assert event.actor == editor
    assert event.data["new"] == {"status": "withdrawn"}
    assert event.data["reason"] == "Reassigned to the Middle East desk"


def test_closed_assignments_cannot_be_closed_again(assigned_claim, editor):
    assignment = Assignment.objects.get(claim=assigned_claim)
    services.reviewer_withdraw(actor=editor, assignment=assignment)
    assigned_claim.refresh_from_db()
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.reviewer_complete(actor=editor, assignment=assignment)

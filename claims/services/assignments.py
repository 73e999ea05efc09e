"""Writes to reviewer assignments: assigning, completing and withdrawing reviews."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from claims import clock
from claims.audit.actions import AuditAction
from claims.models import Assignment, AssignmentStatus, Claim
from claims.permissions import Action, is_reviewer, require
from claims.selectors.people import display_name

from ._shared import json_value, lock_claim, save_with_event


def reviewer_assign(*, actor, claim: Claim, reviewer, due_on: date | None = None) -> Assignment:
    """Ask a reviewer to review the claim; one open assignment per reviewer per claim."""
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        require(actor, Action.ASSIGN_REVIEWER, claim)
        if reviewer is None or not is_reviewer(reviewer):
            raise ValidationError(
                {"reviewer": _("%(user)s is not a reviewer.") % {"user": reviewer}}
            )
        if Assignment.objects.filter(
            claim=claim, reviewer=reviewer, status=AssignmentStatus.OPEN
        ).exists():
            raise ValidationError(
                {
                    "reviewer": _("%(user)s already has an open assignment on this claim.")
                    % {"user": display_name(reviewer)}
                },
                code="duplicate",
            )
        assignment = Assignment(
            claim=claim,
            reviewer=reviewer,
            assigned_by=actor,
            due_on=due_on,
            assigned_at=clock.now(),
        )
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError as error:
            raise ValidationError(
                {"reviewer": _("This reviewer already has an open assignment on this claim.")}
            ) from error
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.REVIEWER_ASSIGNED,
            data={
                "assignment_id": assignment.pk,
                "new": {
                    "reviewer_id": reviewer.pk,
                    "reviewer": display_name(reviewer),
                    "due_on": json_value(due_on),
                    "status": AssignmentStatus.OPEN,
                },
            },
        )
    return assignment


def _close_assignment(
    *,
    actor,
    assignment: Assignment,
    action: str,
    status: str,
    audit_action: str,
    reason: str,
) -> Assignment:
    with transaction.atomic():
        claim = lock_claim(assignment.claim_id)
        assignment = Assignment.objects.select_related("reviewer").get(pk=assignment.pk)
        if not assignment.is_open:
            raise ValidationError(
                _("This assignment is already %(status)s.")
                % {"status": assignment.get_status_display().lower()},
                code="not_open",
            )
        require(actor, action, claim, target=assignment)
        assignment.status = status
        assignment.closed_at = clock.now()
        assignment.closed_by = actor
        assignment.close_reason = reason
        assignment.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
        data = {
            "assignment_id": assignment.pk,
            "reviewer_id": assignment.reviewer_id,
            "reviewer": display_name(assignment.reviewer),
            "old": {"status": AssignmentStatus.OPEN},
            "new": {"status": status},
        }
        if reason:
            data["reason"] = reason
        save_with_event(claim, actor=actor, action=audit_action, data=data)
    return assignment


def reviewer_complete(*, actor, assignment: Assignment, note: str = "") -> Assignment:
    """Mark a review done (the reviewer, or an editor on their behalf)."""
    return _close_assignment(
        actor=actor,
        assignment=assignment,
        action=Action.COMPLETE_ASSIGNMENT,
        status=AssignmentStatus.DONE,
        audit_action=AuditAction.REVIEWER_COMPLETED,
        reason=(note or "").strip(),
    )


def reviewer_withdraw(*, actor, assignment: Assignment, reason: str = "") -> Assignment:
    """Take a reviewer off a claim (editors only)."""
    return _close_assignment(
        actor=actor,
        assignment=assignment,
        action=Action.WITHDRAW_ASSIGNMENT,
        status=AssignmentStatus.WITHDRAWN,
        audit_action=AuditAction.REVIEWER_WITHDRAWN,
        reason=(reason or "").strip(),
    )

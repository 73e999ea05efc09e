"""Who may do what to which claim: one answer for the services and for the UI.

Roles are Django groups holding model permissions (created by a data migration):
Editors hold ``claims.manage_claims`` and run the whole workflow; Reviewers hold
``claims.review_claims`` and act only on claims with an open assignment to them; Viewers read.
Superusers act as editors.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Assignment, AssignmentStatus, Claim, Evidence

EDITORS_GROUP = "Editors"
REVIEWERS_GROUP = "Reviewers"
VIEWERS_GROUP = "Viewers"


class Action(models.TextChoices):
    VIEW = "view", _("view claims")
    CREATE_CLAIM = "create_claim", _("create claims")
    EDIT_CLAIM = "edit_claim", _("edit this claim")
    ADD_EVIDENCE = "add_evidence", _("add evidence to this claim")
    RETRACT_EVIDENCE = "retract_evidence", _("retract this evidence")
    CHANGE_STATE = "change_state", _("change this claim's state")
    ASSIGN_REVIEWER = "assign_reviewer", _("assign reviewers to this claim")
    COMPLETE_ASSIGNMENT = "complete_assignment", _("mark this assignment done")
    WITHDRAW_ASSIGNMENT = "withdraw_assignment", _("withdraw this assignment")
    MANAGE_SOURCES = "manage_sources", _("add and edit sources")


def is_editor(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm("claims.manage_claims")))


def is_reviewer(user) -> bool:
    """May this user be assigned claims to review?"""
    return bool(user.is_active and (is_editor(user) or user.has_perm("claims.review_claims")))


def can_view(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (is_editor(user) or user.has_perm("claims.view_claim"))
    )


def can_see_dashboard(user) -> bool:
    """The desk dashboard is for the people who run the desk: editors, and staff who may read
    the desk (each figure opens the claim queue, which a user with no role could not)."""
    return can_view(user) and (is_editor(user) or user.is_staff)


def can_act_in_bulk(user) -> bool:
    """May the user select claims in the queue and act on many at once? The queue asks it to
    offer the checkboxes and the bulk form, and its POST to accept one.

    Editors only: a reviewer may act only on the claims assigned to them, so a bulk bar would
    mostly offer them refusals. The services still check every claim on its own.
    """
    return is_editor(user)


def role_label(user) -> str:
    """The role the header shows: read from the permissions every page loads anyway, so the
    header needs no query of its own for the user's groups."""
    if user.is_superuser:
        return str(_("Admin"))
    if is_editor(user):
        return str(_("Editor"))
    if is_reviewer(user):
        return str(_("Reviewer"))
    return str(_("Viewer")) if can_view(user) else ""


def _reviews(user, claim: Claim) -> bool:
    """Does the user hold an open assignment to this claim and the reviewer permission?"""
    return bool(
        claim.pk
        and user.has_perm("claims.review_claims")
        and Assignment.objects.filter(
            claim_id=claim.pk, reviewer_id=user.pk, status=AssignmentStatus.OPEN
        ).exists()
    )


def available_actions(user, claim: Claim | None = None) -> frozenset[str]:
    """The claim-level actions this user may take now (on a claim, or desk-wide when None).

    Actions on one evidence link or assignment also depend on that object: see ``can``.
    """
    if not user.is_authenticated or not can_view(user):
        return frozenset()
    if is_editor(user):
        actions = set(Action.values)
        if claim is None:
            actions -= {
                Action.RETRACT_EVIDENCE,
                Action.COMPLETE_ASSIGNMENT,
                Action.WITHDRAW_ASSIGNMENT,
            }
        return frozenset(actions)
    actions = {Action.VIEW}
    if claim is not None and _reviews(user, claim):
        actions |= {
            Action.ADD_EVIDENCE,
            Action.CHANGE_STATE,
            Action.RETRACT_EVIDENCE,
            Action.COMPLETE_ASSIGNMENT,
        }
    return frozenset(actions)


def can(
    user,
    action: str,
    claim: Claim | None = None,
    *,
    target: Evidence | Assignment | None = None,
    actions: frozenset[str] | None = None,
) -> bool:
    """May ``user`` take ``action`` on ``claim`` (and on ``target``, its evidence or assignment)?

    Pass ``actions`` from ``available_actions`` to ask about many targets without requerying.
    """
    if actions is None:
        actions = available_actions(user, claim)
    if action not in actions:
        return False
    if action == Action.RETRACT_EVIDENCE:
        return (
            isinstance(target, Evidence)
            and target.is_standing
            and (is_editor(user) or target.added_by_id == user.pk)
        )
    if action == Action.COMPLETE_ASSIGNMENT:
        return (
            isinstance(target, Assignment)
            and target.is_open
            and (is_editor(user) or target.reviewer_id == user.pk)
        )
    if action == Action.WITHDRAW_ASSIGNMENT:
        return isinstance(target, Assignment) and target.is_open
    return True


def require(user, action: str, claim: Claim | None = None, *, target=None) -> None:
    """Raise PermissionDenied, with a message a person can read, unless ``can`` says yes."""
    if not can(user, action, claim, target=target):
        raise PermissionDenied(
            _("You do not have permission to %(action)s.") % {"action": Action(action).label}
        )

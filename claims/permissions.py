"""Who may do what to which claim: one answer for the services and for the UI.

Roles are Django groups holding model permissions (created by a data migration):
Editors hold ``claims.manage_claims`` and run the whole workflow; Reviewers hold
``claims.review_claims`` and act only on claims with an open assignment to them; Viewers read.
Superusers act as editors. A claim's discussion is open to everyone who may review, whether or
not the claim is assigned to them; viewers read it.

With sign-off on (``FACTCHECK_SIGNOFF``), nobody changes a claim's state directly: whoever could
change it proposes instead, and an editor other than the proposer signs the proposal off or
returns it. Nobody signs off their own proposal, superusers included.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import clock
from .models import (
    Assignment,
    AssignmentStatus,
    Claim,
    Comment,
    Evidence,
    Proposal,
    ProposalStatus,
)

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
    PROPOSE_VERDICT = "propose_verdict", _("propose a verdict for this claim")
    SIGN_OFF_VERDICT = "sign_off_verdict", _("sign off this verdict")
    RETURN_VERDICT = "return_verdict", _("return this proposed verdict")
    WITHDRAW_PROPOSAL = "withdraw_proposal", _("withdraw this proposal")
    SET_REVIEW_MODE = "set_review_mode", _("choose how this claim is reviewed")
    ADD_COMMENT = "add_comment", _("comment on this claim")
    EDIT_COMMENT = "edit_comment", _("edit this comment")
    HIDE_COMMENT = "hide_comment", _("hide this comment")
    # Desk-level: where the desk's events are sent, and the secrets that sign them.
    MANAGE_WEBHOOKS = "manage_webhooks", _("manage the desk's webhooks")


# The discussion's actions: open to everyone who may review (an editor, or a reviewer whether or
# not the claim is assigned to them, so that a colleague who is mentioned can answer); editing
# and hiding also depend on the comment (``comment_refusal``).
COMMENT_ACTIONS = frozenset({Action.ADD_COMMENT, Action.EDIT_COMMENT, Action.HIDE_COMMENT})

# The actions that exist only with sign-off on, and the one they replace.
SIGNOFF_ACTIONS = frozenset(
    {
        Action.PROPOSE_VERDICT,
        Action.SIGN_OFF_VERDICT,
        Action.RETURN_VERDICT,
        Action.WITHDRAW_PROPOSAL,
        Action.SET_REVIEW_MODE,
    }
)


def signoff_required() -> bool:
    """Does a verdict wait for a second editor's sign-off (the desk's setting)?"""
    return settings.FACTCHECK_SIGNOFF


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


def can_manage_webhooks(user) -> bool:
    """May the user register, change and redeliver the desk's webhooks? Editors only: an
    endpoint receives every claim's events, so choosing one is a desk-level decision."""
    return can(user, Action.MANAGE_WEBHOOKS)


def must_use_two_factor(user) -> bool:
    """Must ``user`` sign in with a second factor before acting (``FACTCHECK_REQUIRE_2FA``)?
    Editors and staff: they change what the desk publishes and who may do what, so a stolen
    password alone must not be enough. Reviewers and viewers may enrol but need not."""
    return bool(
        settings.FACTCHECK_REQUIRE_2FA
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or is_editor(user))
    )


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


def acts_read_only(user) -> bool:
    """Is ``user`` acting through a read-only API token (``claims.api.authentication``)? Such a
    request may read what its user may read and change nothing, whatever the user's role."""
    token = getattr(user, "api_token", None)
    return bool(token is not None and token.read_only)


def available_actions(user, claim: Claim | None = None) -> frozenset[str]:
    """The claim-level actions this user may take now (on a claim, or desk-wide when None).

    Actions on one evidence link, assignment or proposal also depend on that object: see ``can``.
    """
    if not user.is_authenticated or not can_view(user):
        return frozenset()
    if acts_read_only(user):
        return frozenset({Action.VIEW})
    signoff = signoff_required()
    if is_editor(user):
        actions = set(Action.values)
        actions -= {Action.CHANGE_STATE} if signoff else SIGNOFF_ACTIONS
        if claim is None:
            actions -= {
                Action.RETRACT_EVIDENCE,
                Action.COMPLETE_ASSIGNMENT,
                Action.WITHDRAW_ASSIGNMENT,
                Action.EDIT_COMMENT,
                Action.HIDE_COMMENT,
            }
        return frozenset(actions)
    actions = {Action.VIEW}
    if user.has_perm("claims.review_claims"):
        actions |= COMMENT_ACTIONS if claim is not None else {Action.ADD_COMMENT}
    if signoff and user.has_perm("claims.review_claims"):
        # A proposer may take back their proposal even after their review closed.
        actions.add(Action.WITHDRAW_PROPOSAL)
    if claim is not None and _reviews(user, claim):
        actions |= {
            Action.ADD_EVIDENCE,
            Action.PROPOSE_VERDICT if signoff else Action.CHANGE_STATE,
            Action.RETRACT_EVIDENCE,
            Action.COMPLETE_ASSIGNMENT,
        }
    return frozenset(actions)


def judgements_hidden(user, claim: Claim) -> bool:
    """Must ``user`` not see the other reviewers' judgements of ``claim`` yet?

    In an independent review each reviewer judges blind: until they have proposed themselves,
    their colleagues' proposals, rationales and review notes are hidden from them, on the claim
    page, in its history and in every export; the audit chain keeps everything. Reads the
    claim's assignments and proposals as prefetched by the claim page.
    """
    if not claim.independent_review:
        return False
    if not any(a.is_open and a.reviewer_id == user.pk for a in claim.assignments.all()):
        return False
    return not any(
        p.independent and p.proposed_by_id == user.pk and p.status != ProposalStatus.WITHDRAWN
        for p in claim.proposals.all()
    )


def hidden_comment_authors(user, claim: Claim) -> frozenset[int]:
    """The people whose comments on ``claim`` ``user`` must not read yet: while their
    judgements are hidden (``judgements_hidden``), the other reviewers of the round, those with
    an open assignment or a proposal waiting in it. Everyone else's comments (an editor's
    instructions, say) stay in sight. Reads the rows the claim page prefetched."""
    if not judgements_hidden(user, claim):
        return frozenset()
    in_round = {a.reviewer_id for a in claim.assignments.all() if a.is_open}
    in_round |= {p.proposed_by_id for p in claim.proposals.all() if p.independent and p.is_pending}
    return frozenset(in_round - {user.pk, None})


def comment_edit_deadline(comment: Comment) -> datetime:
    """Until when the author may edit ``comment`` (``FACTCHECK_COMMENT_EDIT_MINUTES``)."""
    return comment.created_at + timedelta(minutes=settings.FACTCHECK_COMMENT_EDIT_MINUTES)


def comment_refusal(user, action: str, comment: Comment) -> str | None:
    """Why ``user`` may not edit or hide ``comment`` although their role allows it, in words the
    page shows beside the disabled control; None when they may."""
    if comment.is_hidden:
        return gettext("This comment is hidden.")
    own = comment.author_id is not None and comment.author_id == user.pk
    if action == Action.HIDE_COMMENT:
        if own or is_editor(user):
            return None
        return gettext("Only an editor or the comment's author may hide it.")
    if not own:
        return gettext("Only the comment's author may edit it.")
    now, deadline = clock.now(), comment_edit_deadline(comment)
    if now >= deadline:
        return gettext("The edit window closed %(ago)s.") % {"ago": clock.time_ago(deadline, now)}
    return None


def proposal_refusal(user, action: str, proposal: Proposal) -> str | None:
    """Why ``user`` may not take ``action`` on ``proposal`` although their role allows it, in
    words the page shows beside the disabled control; None when they may."""
    if not proposal.is_pending:
        return gettext("This proposal has been decided already.")
    own = proposal.proposed_by_id == user.pk
    if action == Action.WITHDRAW_PROPOSAL:
        return None if own else gettext("Only the person who proposed it may withdraw it.")
    if own:
        return gettext("You proposed this verdict: another editor signs it off or returns it.")
    if (
        action == Action.SIGN_OFF_VERDICT
        and not settings.FACTCHECK_CREATOR_MAY_SIGN_OFF
        and proposal.claim.created_by_id == user.pk
    ):
        return gettext(
            "You created this claim: on this desk another editor signs off its verdicts."
        )
    return None


def can(
    user,
    action: str,
    claim: Claim | None = None,
    *,
    target: Evidence | Assignment | Proposal | Comment | None = None,
    actions: frozenset[str] | None = None,
) -> bool:
    """May ``user`` take ``action`` on ``claim`` (and on ``target``, its evidence, assignment,
    proposal or comment)?

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
    if action == Action.SIGN_OFF_VERDICT and target is None:
        return True  # deciding an independent review as a whole: the service refuses its judges
    if action in (Action.SIGN_OFF_VERDICT, Action.RETURN_VERDICT, Action.WITHDRAW_PROPOSAL):
        return isinstance(target, Proposal) and proposal_refusal(user, action, target) is None
    if action in (Action.EDIT_COMMENT, Action.HIDE_COMMENT):
        return isinstance(target, Comment) and comment_refusal(user, action, target) is None
    return True


def require(user, action: str, claim: Claim | None = None, *, target=None) -> None:
    """Raise PermissionDenied, with a message a person can read, unless ``can`` says yes."""
    if not can(user, action, claim, target=target):
        if acts_read_only(user) and can_view(user):
            raise PermissionDenied(_("This API token is read-only."))
        if isinstance(target, Proposal) and action in available_actions(user, claim):
            raise PermissionDenied(proposal_refusal(user, action, target))
        if isinstance(target, Comment) and action in available_actions(user, claim):
            raise PermissionDenied(comment_refusal(user, action, target))
        raise PermissionDenied(
            _("You do not have permission to %(action)s.") % {"action": Action(action).label}
        )

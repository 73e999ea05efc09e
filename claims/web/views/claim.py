"""A claim's page and the actions on it. Thin: a form cleans the input, a service decides and
writes, and the page is shown again with the user's input and the error where one was refused.

Each action is a plain POST that redirects back to the claim page, so everything works without
JavaScript; htmx posts the same forms and swaps the claim's workspace in place.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims import services, workflow
from claims.models import Assignment, Claim, Comment, Evidence, Stance
from claims.notifications import selectors as notification_selectors
from claims.permissions import (
    Action,
    available_actions,
    can,
    comment_edit_deadline,
    comment_refusal,
    is_editor,
    is_reviewer,
    proposal_refusal,
    require,
    signoff_required,
)
from claims.selectors import claim_page
from claims.selectors.comments import visible_comments
from claims.selectors.people import reviewer_options
from claims.web import feedback
from claims.web.forms import (
    AssignForm,
    CloseAssignmentForm,
    CommentEditForm,
    CommentForm,
    CommentHideForm,
    EvidenceForm,
    RetractForm,
    ReturnProposalForm,
    SignOffForm,
    StateChangeForm,
    WithdrawForm,
    WithdrawProposalForm,
    keep_input_after_conflict,
    show_service_error,
)
from claims.web.views.access import claim_or_404, require_reader


def _claim_page(request, claim: Claim, *, bound: dict | None = None, conflict=None, status=200):
    """The claim page, with fresh forms except the ``bound`` ones being shown again."""
    user = request.user
    actions = available_actions(user, claim)
    forms = _fresh_forms(user, claim) | (bound or {})
    if Action.ASSIGN_REVIEWER in actions and not forms["assign"].is_bound:
        forms["assign"].fields["reviewer"].offer(reviewer_options())
    evidence = _offer_retractions(user, claim, actions, forms)
    assignments = _offer_closing(user, claim, actions, forms)
    comments = _offer_comment_actions(user, claim, actions, forms)
    confirmation, other_messages = feedback.take_feedback(request)
    signoff = claim_page.claim_signoff(claim, user)
    if signoff.pending is not None:
        _offer_decisions(user, claim, signoff.pending, actions, forms)
    can_move = bool({Action.CHANGE_STATE, Action.PROPOSE_VERDICT} & actions)
    if claim.independent_review and signoff_required():
        # Each reviewer of it proposes once; an editor decides once all have.
        can_move = signoff.mine is None and _has_open_review(user, claim)
        _offer_round(user, claim, signoff, actions, forms)
    context = {
        "signoff": signoff,
        "by_proposal": signoff_required(),
        "can_move": can_move,
        "can_set_review_mode": Action.SET_REVIEW_MODE in actions,
        "feedback": confirmation,
        "other_messages": other_messages,
        "claim": claim,
        "actions": actions,
        "forms": forms,
        "supporting": [e for e in evidence if e.stance == Stance.SUPPORTS],
        "contradicting": [e for e in evidence if e.stance == Stance.CONTRADICTS],
        "assignments": assignments,
        "comments": comments,
        "can_comment": Action.ADD_COMMENT in actions,
        "timeline": claim_page.claim_timeline(claim, user),
        "conflict": conflict,
        "can_edit": Action.EDIT_CLAIM in actions,
        "can_edit_sources": Action.MANAGE_SOURCES in actions,
        "unassigned_reviewer": _reviews_elsewhere(user, claim, actions),
        "watching": notification_selectors.is_watching(user, claim),
    }
    return render(request, "claims/claim_detail.html", context, status=status)


def _fresh_forms(user, claim: Claim) -> dict:
    """The page's forms as they are before anyone types: two links, an assignment, a move, a
    comment."""
    return {
        "comment": CommentForm(prefix="comment"),
        "support": EvidenceForm(prefix="supports", initial={"stance": Stance.SUPPORTS}),
        "contradict": EvidenceForm(prefix="contradicts", initial={"stance": Stance.CONTRADICTS}),
        "assign": AssignForm(prefix="assign"),
        "state": StateChangeForm(
            prefix="state",
            claim=claim,
            initial={"expected_version": claim.version},
            reviews=_has_open_review(user, claim),
        ),
    }


def _offer_retractions(user, claim: Claim, actions, forms: dict) -> list[Evidence]:
    """The standing links, each with whether the user may retract it and its form; a retraction
    the workflow would refuse (the last link a verdict rests on) is shown disabled with the
    reason rather than refused after the reason is typed."""
    evidence = list(claim.evidence.all())
    for link in evidence:
        link.dom_id = feedback.link_item(link)
        link.can_retract = can(user, Action.RETRACT_EVIDENCE, claim, target=link, actions=actions)
        if link.can_retract:
            blocked = workflow.retraction_error(claim, link.stance)
            link.retract_blocked = blocked.messages[0] if blocked else ""
        link.retract_form = forms.get(f"retract-{link.pk}") or RetractForm(
            prefix=f"retract-{link.pk}"
        )
    return evidence


def _offer_closing(user, claim: Claim, actions, forms: dict) -> list[Assignment]:
    """The open assignments, each with whether the user may complete or withdraw it and the
    forms for both."""
    assignments = list(claim.assignments.all())
    for assignment in assignments:
        assignment.dom_id = feedback.assignment_item(assignment)
        assignment.can_complete = can(
            user, Action.COMPLETE_ASSIGNMENT, claim, target=assignment, actions=actions
        )
        assignment.can_withdraw = can(
            user, Action.WITHDRAW_ASSIGNMENT, claim, target=assignment, actions=actions
        )
        assignment.close_form = forms.get(f"close-{assignment.pk}") or CloseAssignmentForm(
            prefix=f"close-{assignment.pk}"
        )
        assignment.withdraw_form = forms.get(f"withdraw-{assignment.pk}") or WithdrawForm(
            prefix=f"withdraw-{assignment.pk}"
        )
    return assignments


def _offer_comment_actions(user, claim: Claim, actions, forms: dict) -> list[Comment]:
    """The comments the user may read, each with whether they may edit or hide it and the
    forms for both; their own comment past the edit window shows a disabled Edit saying when
    the window closed."""
    comments = visible_comments(claim, user)
    for comment in comments:
        comment.dom_id = feedback.comment_item(comment)
        comment.can_edit = can(user, Action.EDIT_COMMENT, claim, target=comment, actions=actions)
        comment.can_hide = can(user, Action.HIDE_COMMENT, claim, target=comment, actions=actions)
        own = comment.author_id == user.pk and not comment.is_hidden
        comment.edit_refusal = ""
        if own and not comment.can_edit and Action.EDIT_COMMENT in actions:
            comment.edit_refusal = comment_refusal(user, Action.EDIT_COMMENT, comment) or ""
        comment.edit_until = comment_edit_deadline(comment) if comment.can_edit else None
        comment.edit_form = forms.get(f"edit-comment-{comment.pk}") or CommentEditForm(
            prefix=f"edit-comment-{comment.pk}", initial={"text": comment.text}
        )
        comment.hide_form = forms.get(f"hide-comment-{comment.pk}") or CommentHideForm(
            prefix=f"hide-comment-{comment.pk}"
        )
    return comments


def _offer_decisions(user, claim: Claim, proposal, actions, forms: dict) -> None:
    """Which of sign off, return and withdraw the user gets on the waiting proposal, each with
    its form; a decision their role allows but this proposal refuses (their own, say) is shown
    disabled with the reason."""
    proposal.dom_id = feedback.proposal_item(proposal)
    for action, name in (
        (Action.SIGN_OFF_VERDICT, "sign_off"),
        (Action.RETURN_VERDICT, "return"),
        (Action.WITHDRAW_PROPOSAL, "withdraw"),
    ):
        allowed = can(user, action, claim, target=proposal, actions=actions)
        setattr(proposal, f"can_{name}", allowed)
        refusal = (
            "" if allowed or action not in actions else proposal_refusal(user, action, proposal)
        )
        setattr(proposal, f"{name}_refusal", refusal or "")
    proposal.sign_off_form = forms.get("sign-off") or SignOffForm(prefix="sign-off")
    proposal.return_form = forms.get("return") or ReturnProposalForm(prefix="return")
    proposal.withdraw_form = forms.get("withdraw-proposal") or WithdrawProposalForm(
        prefix="withdraw-proposal"
    )


def _offer_round(user, claim: Claim, signoff, actions, forms: dict) -> None:
    """An independent review's decisions: once every reviewer has proposed, an editor who did
    not propose in it signs off one proposal or decides with their own verdict; a reviewer may
    withdraw their own proposal."""
    in_round = any(p.proposed_by_id == user.pk for p in signoff.round)
    may_decide = signoff.complete and Action.SIGN_OFF_VERDICT in actions and not in_round
    signoff.may_decide = may_decide
    for proposal in signoff.round:
        proposal.dom_id = feedback.proposal_item(proposal)
        proposal.can_sign_off = may_decide
        proposal.can_withdraw = can(
            user, Action.WITHDRAW_PROPOSAL, claim, target=proposal, actions=actions
        )
        proposal.withdraw_form = WithdrawProposalForm(prefix="withdraw-proposal")
    signoff.decide_form = forms.get("decide") or StateChangeForm(
        prefix="decide", claim=claim, initial={"expected_version": claim.version}
    )


def _reviews_elsewhere(user, claim: Claim, actions) -> bool:
    """A reviewer who may not act on this claim because it is not assigned to them: the page
    says why, instead of just showing no controls."""
    return is_reviewer(user) and not is_editor(user) and Action.ADD_EVIDENCE not in actions


@require_GET
def claim_detail(request, pk):
    require_reader(request.user)
    return _claim_page(request, claim_or_404(pk, request.user))


# Actions on a claim -------------------------------------------------------------------------------


def run_claim_action(request, claim: Claim, form, key: str, write, success: str, item):
    """Validate ``form``, call ``write(cleaned_data)``, then redirect to the claim page with
    ``success`` confirmed beside ``item(written)``, the element the write changed; or show the
    page again with the form as typed."""
    if form.is_valid():
        try:
            written = write(form.cleaned_data)
        except services.ClaimConflict as conflict:
            keep_input_after_conflict(form, conflict)
            return _claim_page(
                request, claim_or_404(claim.pk), bound={key: form}, conflict=conflict, status=409
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            changed = item(written)
            feedback.confirm(request, success, item=changed)
            return redirect(f"{claim.get_absolute_url()}#{changed}")
    return _claim_page(request, claim_or_404(claim.pk), bound={key: form}, status=422)


@require_POST
def evidence_add(request, pk, stance):
    if stance not in Stance.values:
        raise Http404
    claim = get_object_or_404(Claim, pk=pk)
    require(request.user, Action.ADD_EVIDENCE, claim)
    form = EvidenceForm(request.POST, prefix=stance, initial={"stance": stance})
    key = "support" if stance == Stance.SUPPORTS else "contradict"

    def write(data):
        return services.evidence_add(
            actor=request.user,
            claim=claim,
            stance=stance,
            url=data["url"],
            title=data["title"],
            publisher=data["publisher"],
            excerpt=data["excerpt"],
            note=data["note"],
        )

    return run_claim_action(
        request, claim, form, key, write, _("Evidence added."), feedback.link_item
    )


@require_POST
def evidence_retract(request, pk, evidence_id):
    claim = get_object_or_404(Claim, pk=pk)
    evidence = get_object_or_404(Evidence, pk=evidence_id, claim=claim)
    require(request.user, Action.RETRACT_EVIDENCE, claim, target=evidence)
    key = f"retract-{evidence.pk}"
    form = RetractForm(request.POST, prefix=key)

    def write(data):
        return services.evidence_retract(
            actor=request.user,
            evidence=evidence,
            reason=data["reason"],
        )

    return run_claim_action(
        request, claim, form, key, write, _("Evidence retracted."), feedback.link_item
    )


@require_POST
def reviewer_assign(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    require(request.user, Action.ASSIGN_REVIEWER, claim)
    form = AssignForm(request.POST, prefix="assign")

    def write(data):
        return services.reviewer_assign(
            actor=request.user,
            claim=claim,
            reviewer=data["reviewer"],
            due_on=data["due_on"],
        )

    return run_claim_action(
        request, claim, form, "assign", write, _("Reviewer assigned."), feedback.assignment_item
    )


def _close_assignment(
    request, pk, assignment_id, action, close, success, *, form_class=CloseAssignmentForm
):
    """Mark done or withdraw: ``close(assignment, cleaned_data)`` calls the service."""
    claim = get_object_or_404(Claim, pk=pk)
    assignment = get_object_or_404(Assignment, pk=assignment_id, claim=claim)
    require(request.user, action, claim, target=assignment)
    key = f"{'withdraw' if form_class is WithdrawForm else 'close'}-{assignment.pk}"
    form = form_class(request.POST, prefix=key)
    return run_claim_action(
        request,
        claim,
        form,
        key,
        lambda data: close(assignment, data),
        success,
        feedback.assignment_item,
    )


@require_POST
def assignment_complete(request, pk, assignment_id):
    def close(assignment, data):
        return services.reviewer_complete(
            actor=request.user,
            assignment=assignment,
            note=data["note"],
        )

    return _close_assignment(
        request, pk, assignment_id, Action.COMPLETE_ASSIGNMENT, close, _("Review marked done.")
    )


@require_POST
def assignment_withdraw(request, pk, assignment_id):
    def close(assignment, data):
        return services.reviewer_withdraw(
            actor=request.user,
            assignment=assignment,
            reason=data["reason"],
        )

    return _close_assignment(
        request,
        pk,
        assignment_id,
        Action.WITHDRAW_ASSIGNMENT,
        close,
        _("Reviewer withdrawn."),
        form_class=WithdrawForm,
    )


@require_POST
def state_change(request, pk):
    """Move the claim's state or, with sign-off on, propose the move for another editor."""
    claim = get_object_or_404(Claim, pk=pk)
    by_proposal = signoff_required()
    require(request.user, Action.PROPOSE_VERDICT if by_proposal else Action.CHANGE_STATE, claim)
    reviews = _has_open_review(request.user, claim)
    form = StateChangeForm(request.POST, prefix="state", claim=claim, reviews=reviews)
    closing = reviews and request.POST.get("state-close_review") == "on"
    write_move = services.verdict_propose if by_proposal else services.claim_change_state

    def write(data):
        return write_move(
            actor=request.user,
            claim=claim,
            expected_version=data["expected_version"],
            state=data["state"],
            rationale=data["rationale"],
            correction_note=data.get("correction_note", ""),
            close_my_review=bool(data.get("close_review")),
            review_note=data.get("review_note", ""),
        )

    if by_proposal:
        done = (
            _("Proposed, and your review closed: it waits for another editor's sign-off.")
            if closing
            else _("Proposed: it waits for another editor's sign-off.")
        )
        return run_claim_action(request, claim, form, "state", write, done, feedback.proposal_item)
    done = _("State changed and your review closed.") if closing else _("State changed.")
    return run_claim_action(
        request, claim, form, "state", write, done, lambda _claim: feedback.STATE_ITEM
    )


def _has_open_review(user, claim: Claim) -> bool:
    """Does ``user`` hold an open review of ``claim``? Then a verdict can also finish it."""
    # Read from the assignments the claim page prefetched; one query where none were.
    return any(a.is_open and a.reviewer_id == user.pk for a in claim.assignments.all())

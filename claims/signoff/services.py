"""Proposing a verdict, and signing it off, returning it or withdrawing it.

Each function runs in one transaction that locks the claim row first, so every write to a
claim's proposals is serialized by that lock: two editors signing off one proposal at once get
one sign-off and one refusal, and the database's partial unique index keeps a second pending
proposal out even if a write came from elsewhere. Each step is an event in the claim's chain.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from claims import clock, workflow
from claims.audit.actions import AuditAction
from claims.models import AssignmentStatus, Claim, Proposal, ProposalStatus
from claims.permissions import Action, require
from claims.selectors.people import display_name
from claims.services._shared import lock_claim, save_with_event
from claims.services.claims import check_still_based_on, close_own_review

from .publication import Verdict, apply_verdict


def verdict_propose(
    *,
    actor,
    claim: Claim,
    expected_version: int,
    state: str,
    rationale: str,
    correction_note: str = "",
    close_my_review: bool = False,
    review_note: str = "",
) -> Proposal:
    """Propose moving ``claim`` to ``state`` (or, for a published verdict, a new rationale):
    checked now as the move itself would be, it waits for another editor's sign-off.

    ``expected_version`` is the claim as the proposer saw it, checked as a direct move checks
    it. ``close_my_review`` finishes the proposer's open review in the same step.
    """
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        require(actor, Action.PROPOSE_VERDICT, claim)
        check_still_based_on(claim, expected_version, state)
        verdict = Verdict(state, (rationale or "").strip(), (correction_note or "").strip())
        workflow.check_verdict(claim, verdict.state, verdict.rationale, verdict.correction_note)
        independent = claim.independent_review
        if independent:
            _check_may_judge(actor, claim)
        _refuse_a_second_proposal(claim)
        now = clock.now()
        proposal = Proposal.objects.create(
            claim=claim,
            proposed_by=actor,
            proposed_at=now,
            from_state=claim.state,
            from_rationale=claim.rationale,
            based_on_version=claim.version,
            state=verdict.state,
            rationale=verdict.rationale,
            is_correction=claim.published_at is not None,
            correction_note=verdict.correction_note if claim.published_at else "",
            independent=independent,
        )
        data = {
            "proposal": proposal.pk,
            "old": {"state": proposal.from_state, "rationale": proposal.from_rationale},
            "new": {"state": proposal.state, "rationale": proposal.rationale},
            "reason": proposal.rationale,
        }
        if proposal.is_correction:
            data["correction_note"] = proposal.correction_note
        if independent:
            data["independent"] = True
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.VERDICT_PROPOSED,
            data=data,
            fields=_refresh_waiting(claim),
        )
        if close_my_review:
            close_own_review(actor, claim, review_note)
    return proposal


def verdict_sign_off(*, actor, proposal: Proposal, note: str = "") -> Claim:
    """Sign off ``proposal``: the claim takes its state and rationale and they are published.

    The move's preconditions are checked again now, not as they were when it was proposed: the
    link a verdict rests on may have been retracted since, or the state moved.
    """
    with transaction.atomic():
        claim, proposal = _locked(proposal)
        require(actor, Action.SIGN_OFF_VERDICT, claim, target=proposal)
        if (claim.state, claim.rationale) != (proposal.from_state, proposal.from_rationale):
            raise ValidationError(
                _(
                    "The claim's verdict changed after this was proposed (it is now %(state)s): "
                    "return the proposal so that it can be made again on the claim as it is."
                )
                % {"state": claim.get_state_display()}
            )
        if proposal.independent:
            round_ = _check_round_complete(claim)
            if any(p.proposed_by_id == actor.pk for p in round_):
                raise PermissionDenied(_("You proposed in this review: another editor decides it."))
        error = workflow.verdict_error(
            claim, proposal.state, proposal.rationale, proposal.correction_note
        )
        if error is not None:
            raise ValidationError(
                _("It cannot be signed off now: %(reason)s") % {"reason": " ".join(error.messages)}
            )
        verdict = Verdict(proposal.state, proposal.rationale, proposal.correction_note)
        fields, data = apply_verdict(
            claim, verdict, proposed_by=proposal.proposed_by, approved_by=actor, proposal=proposal
        )
        _decide(proposal, actor, ProposalStatus.APPROVED, note)
        others = _set_aside_the_rest(claim, actor) if proposal.independent else []
        fields += _refresh_waiting(claim)
        data = {**data, **_about(proposal), "note": proposal.decision_note}
        if others:
            data["not_chosen"] = others
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.VERDICT_APPROVED,
            data={**data, "reason": proposal.rationale},
            fields=fields,
        )
    return claim


def verdict_decide(
    *,
    actor,
    claim: Claim,
    expected_version: int,
    state: str,
    rationale: str,
    correction_note: str = "",
) -> Claim:
    """Decide an independent review with the editor's own verdict instead of one of the
    reviewers' proposals, once every reviewer has proposed; none of theirs is chosen.

    The reviewers' blind judgements are the second pair of eyes here; an editor who was one of
    those reviewers does not decide.
    """
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        require(actor, Action.SIGN_OFF_VERDICT, claim)
        if not claim.independent_review:
            raise ValidationError(
                _("Only an independent review is decided this way: sign off a proposal.")
            )
        round_ = _check_round_complete(claim)
        if any(p.proposed_by_id == actor.pk for p in round_):
            raise PermissionDenied(_("You proposed in this review: another editor decides it."))
        check_still_based_on(claim, expected_version, state)
        verdict = Verdict(state, (rationale or "").strip(), (correction_note or "").strip())
        workflow.check_verdict(claim, verdict.state, verdict.rationale, verdict.correction_note)
        fields, data = apply_verdict(claim, verdict, proposed_by=actor, approved_by=actor)
        others = _set_aside_the_rest(claim, actor)
        fields += _refresh_waiting(claim)
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.VERDICT_APPROVED,
            data={**data, "own": True, "not_chosen": others, "reason": verdict.rationale},
            fields=fields,
        )
    return claim


def claim_set_review_mode(*, actor, claim: Claim, independent: bool) -> Claim:
    """Put a claim under independent review (each reviewer proposes blind, an editor decides)
    or back to one proposal at a time. Refused while a proposal waits: it was made under the
    other mode's rules."""
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        require(actor, Action.SET_REVIEW_MODE, claim)
        if claim.independent_review == independent:
            return claim
        if Proposal.objects.filter(claim_id=claim.pk, status=ProposalStatus.PENDING).exists():
            raise ValidationError(
                _(
                    "A proposal is waiting: decide or withdraw it before changing how the claim is "
                    "reviewed."
                )
            )
        claim.independent_review = independent
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.CLAIM_REVIEW_MODE_CHANGED,
            data={"old": {"independent": not independent}, "new": {"independent": independent}},
            fields=["independent_review"],
        )
    return claim


def verdict_return(*, actor, proposal: Proposal, note: str) -> Proposal:
    """Send ``proposal`` back to its proposer with ``note`` saying why; the claim is unchanged."""
    note = (note or "").strip()
    with transaction.atomic():
        claim, proposal = _locked(proposal)
        require(actor, Action.RETURN_VERDICT, claim, target=proposal)
        if not note:
            raise ValidationError(
                {"note": _("Say why it goes back: the proposer reads this note.")}
            )
        _decide(proposal, actor, ProposalStatus.RETURNED, note)
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.VERDICT_RETURNED,
            data={**_about(proposal), "reason": note},
            fields=_refresh_waiting(claim),
        )
    return proposal


def verdict_withdraw(*, actor, proposal: Proposal, reason: str = "") -> Proposal:
    """The proposer takes back a proposal still waiting for sign-off."""
    reason = (reason or "").strip()
    with transaction.atomic():
        claim, proposal = _locked(proposal)
        require(actor, Action.WITHDRAW_PROPOSAL, claim, target=proposal)
        _decide(proposal, actor, ProposalStatus.WITHDRAWN, reason)
        data = _about(proposal)
        if reason:
            data["reason"] = reason
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.VERDICT_WITHDRAWN,
            data=data,
            fields=_refresh_waiting(claim),
        )
    return proposal


def pending_proposal(claim: Claim) -> Proposal | None:
    """The proposal waiting on ``claim`` (outside an independent review there is at most one)."""
    return (
        Proposal.objects.filter(claim_id=claim.pk, status=ProposalStatus.PENDING, independent=False)
        .select_related("proposed_by")
        .first()
    )


# Helpers ---------------------------------------------------------------------------------------


def _refuse_a_second_proposal(claim: Claim) -> None:
    """One proposal waits on a claim at a time (outside an independent review): say whose."""
    waiting = pending_proposal(claim)
    if waiting is not None:
        raise ValidationError(
            {
                "state": _(
                    "%(who)s's proposal (%(state)s) is waiting for sign-off: it is decided "
                    "or withdrawn before another is made."
                )
                % {
                    "who": display_name(waiting.proposed_by) if waiting.proposed_by else "",
                    "state": waiting.get_state_display(),
                }
            }
        )


def _locked(proposal: Proposal) -> tuple[Claim, Proposal]:
    """The claim locked, then the proposal read again under that lock: its status is current."""
    claim = lock_claim(proposal.claim_id)
    proposal = Proposal.objects.select_related("proposed_by").get(pk=proposal.pk)
    proposal.claim = claim
    return claim, proposal


def _decide(proposal: Proposal, actor, status: str, note: str) -> None:
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = clock.now()
    proposal.decision_note = note
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _refresh_waiting(claim: Claim) -> list[str]:
    """Since when the claim waits for an editor's decision (None when it does not); the field
    to save. A proposal waits from when it was made; an independent review from when its last
    reviewer proposed, as before that there is nothing to decide."""
    pending = Proposal.objects.filter(claim_id=claim.pk, status=ProposalStatus.PENDING)
    if not claim.independent_review:
        claim.signoff_waiting_since = pending.aggregate(since=Min("proposed_at"))["since"]
    elif round_complete(claim, list(pending)):
        claim.signoff_waiting_since = pending.aggregate(since=Max("proposed_at"))["since"]
    else:
        claim.signoff_waiting_since = None
    return ["signoff_waiting_since"]


def independent_round(claim: Claim) -> list[Proposal]:
    """The independent proposals waiting on ``claim``, oldest first."""
    return list(
        Proposal.objects.filter(claim_id=claim.pk, status=ProposalStatus.PENDING, independent=True)
        .select_related("proposed_by")
        .order_by("proposed_at", "id")
    )


def round_complete(claim: Claim, pending: list[Proposal]) -> bool:
    """Has every reviewer of an independent review proposed? Its reviewers are those with an
    open assignment and those whose proposal waits (their review may be closed already)."""
    proposers = {p.proposed_by_id for p in pending}
    reviewing = set(
        claim.assignments.filter(status=AssignmentStatus.OPEN).values_list("reviewer_id", flat=True)
    )
    return len(proposers) >= 2 and reviewing <= proposers


def _check_round_complete(claim: Claim) -> list[Proposal]:
    pending = independent_round(claim)
    if not round_complete(claim, pending):
        raise ValidationError(
            _(
                "Not every reviewer has proposed yet (%(count)s so far): an independent review "
                "is decided when all of them have, and by at least two."
            )
            % {"count": len(pending)}
        )
    return pending


def _check_may_judge(actor, claim: Claim) -> None:
    """In an independent review only the claim's reviewers propose, one proposal each."""
    if not claim.assignments.filter(reviewer_id=actor.pk, status=AssignmentStatus.OPEN).exists():
        raise ValidationError(
            {
                "state": _(
                    "This claim is under independent review: its assigned reviewers each "
                    "propose, and an editor decides between them."
                )
            }
        )
    if Proposal.objects.filter(
        claim_id=claim.pk, proposed_by_id=actor.pk, status=ProposalStatus.PENDING
    ).exists():
        raise ValidationError(
            {"state": _("Your proposal is waiting: withdraw it first to propose another.")}
        )


def _set_aside_the_rest(claim: Claim, actor) -> list[int]:
    """Mark the round's other waiting proposals not chosen; their ids, for the event."""
    rest = independent_round(claim)
    for proposal in rest:
        _decide(proposal, actor, ProposalStatus.NOT_CHOSEN, "")
    return [proposal.pk for proposal in rest]


def _about(proposal: Proposal) -> dict:
    """What a decision's event says about the proposal it decides."""
    about = {
        "proposal": proposal.pk,
        "proposed_by": display_name(proposal.proposed_by) if proposal.proposed_by else "",
        "state": proposal.state,
        "correction": proposal.is_correction,
    }
    if proposal.independent:
        about["independent"] = True
    return about

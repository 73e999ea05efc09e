"""Deciding a proposed verdict on the claim's page: sign it off, return it, or withdraw it.

Thin, as the other claim actions: a form, a service call, and the claim page again, with the
confirmation beside the state or the input kept where the service refused.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from claims import services
from claims.models import Claim, Proposal
from claims.permissions import Action, require
from claims.web import feedback
from claims.web.forms import (
    ReturnProposalForm,
    ReviewModeForm,
    SignOffForm,
    StateChangeForm,
    WithdrawProposalForm,
)
from claims.web.views.claim import run_claim_action


def _proposal(request, pk, proposal_id, action) -> tuple[Claim, Proposal]:
    claim = get_object_or_404(Claim, pk=pk)
    proposal = get_object_or_404(Proposal, pk=proposal_id, claim=claim)
    require(request.user, action, claim, target=proposal)
    return claim, proposal


def _at_state(_written) -> str:
    return feedback.STATE_ITEM


@require_POST
def verdict_sign_off(request, pk, proposal_id):
    claim, proposal = _proposal(request, pk, proposal_id, Action.SIGN_OFF_VERDICT)
    form = SignOffForm(request.POST, prefix="sign-off")

    def write(data):
        return services.verdict_sign_off(actor=request.user, proposal=proposal, note=data["note"])

    done = _("Signed off: the verdict is published.")
    if proposal.is_correction:
        done = _("Signed off: the correction is published.")
    return run_claim_action(request, claim, form, "sign-off", write, done, _at_state)


@require_POST
def verdict_return(request, pk, proposal_id):
    claim, proposal = _proposal(request, pk, proposal_id, Action.RETURN_VERDICT)
    form = ReturnProposalForm(request.POST, prefix="return")

    def write(data):
        return services.verdict_return(actor=request.user, proposal=proposal, note=data["note"])

    done = _("Returned to the proposer with your note.")
    return run_claim_action(request, claim, form, "return", write, done, _at_state)


@require_POST
def verdict_withdraw(request, pk, proposal_id):
    claim, proposal = _proposal(request, pk, proposal_id, Action.WITHDRAW_PROPOSAL)
    form = WithdrawProposalForm(request.POST, prefix="withdraw-proposal")

    def write(data):
        return services.verdict_withdraw(
            actor=request.user, proposal=proposal, reason=data["reason"]
        )

    done = _("Your proposal is withdrawn.")
    return run_claim_action(request, claim, form, "withdraw-proposal", write, done, _at_state)


@require_POST
def verdict_decide(request, pk):
    """An editor decides an independent review with their own verdict."""
    claim = get_object_or_404(Claim, pk=pk)
    require(request.user, Action.SIGN_OFF_VERDICT, claim)
    form = StateChangeForm(request.POST, prefix="decide", claim=claim)

    def write(data):
        return services.verdict_decide(
            actor=request.user,
            claim=claim,
            expected_version=data["expected_version"],
            state=data["state"],
            rationale=data["rationale"],
            correction_note=data.get("correction_note", ""),
        )

    done = _("Decided with your verdict: it is published.")
    return run_claim_action(request, claim, form, "decide", write, done, _at_state)


@require_POST
def review_mode(request, pk):
    """Put the claim under independent review, or end it."""
    claim = get_object_or_404(Claim, pk=pk)
    require(request.user, Action.SET_REVIEW_MODE, claim)
    form = ReviewModeForm(request.POST, prefix="mode")

    def write(data):
        return services.claim_set_review_mode(
            actor=request.user, claim=claim, independent=data["independent"]
        )

    done = _("How the claim is reviewed is changed.")
    return run_claim_action(request, claim, form, "mode", write, done, _at_state)

"""Four eyes: a verdict is proposed and takes effect only when another editor signs it off."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from claims import services, workflow
from claims.audit.actions import AuditAction
from claims.audit.sentences import describe
from claims.models import (
    AuditEvent,
    Claim,
    Proposal,
    ProposalStatus,
    Publication,
    ReviewState,
    Stance,
)
from claims.permissions import Action, can
from tests.conftest import add_evidence, events_of, only_new_event, postgres_only
from tests.factories import EditorFactory


@pytest.fixture(autouse=True)
def signoff_on(settings):
    settings.FACTCHECK_SIGNOFF = True


@pytest.fixture
def chief(db):
    return EditorFactory(username="chen", first_name="Chen", last_name="Chief")


@pytest.fixture
def supported(assigned_claim, reviewer):
    add_evidence(assigned_claim, reviewer, Stance.SUPPORTS, url="https://records.example/a")
    return assigned_claim


def propose(claim, actor, state=ReviewState.CORROBORATED, rationale="Two records agree.", **kw):
    claim.refresh_from_db()
    return services.verdict_propose(
        actor=actor,
        claim=claim,
        expected_version=claim.version,
        state=state,
        rationale=rationale,
        **kw,
    )


def test_a_proposal_waits_and_changes_nothing_until_signed_off(supported, reviewer, editor):
    before = len(events_of(supported))
    proposal = propose(supported, reviewer)

    claim = Claim.objects.get(pk=supported.pk)
    assert claim.state == ReviewState.UNVERIFIED
    assert claim.published_at is None
    assert claim.signoff_waiting_since == proposal.proposed_at
    assert proposal.status == ProposalStatus.PENDING
    assert (proposal.from_state, proposal.state) == (ReviewState.UNVERIFIED, "corroborated")
    event = only_new_event(claim, before)
    assert event.action == AuditAction.VERDICT_PROPOSED
    assert event.actor == reviewer
    assert event.data == {
        "proposal": proposal.pk,
        "old": {"state": "unverified", "rationale": ""},
        "new": {"state": "corroborated", "rationale": "Two records agree."},
        "reason": "Two records agree.",
    }
    assert describe(event) == (
        "Rita Reviewer proposed moving the claim from Unverified to Corroborated: "
        "“Two records agree.”"
    )


def test_signing_off_publishes_the_verdict(supported, reviewer, editor):
    proposal = propose(supported, reviewer)
    before = len(events_of(supported))

    claim = services.verdict_sign_off(actor=editor, proposal=proposal, note="Checked the link.")

    claim.refresh_from_db()
    assert (claim.state, claim.rationale) == (ReviewState.CORROBORATED, "Two records agree.")
    assert claim.published_at is not None
    assert claim.first_verdict_at == claim.published_at
    assert claim.corrected_at is None
    assert claim.signoff_waiting_since is None
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.APPROVED, editor)
    publication = Publication.objects.get(claim=claim)
    assert publication.published_at == claim.published_at
    assert (publication.proposed_by, publication.approved_by) == (reviewer, editor)
    assert publication.proposal == proposal
    assert not publication.is_correction
    assert not publication.without_signoff
    event = only_new_event(claim, before)
    assert event.action == AuditAction.VERDICT_APPROVED
    assert event.data == {
        "proposal": proposal.pk,
        "proposed_by": "Rita Reviewer",
        "state": "corroborated",
        "correction": False,
        "old": {"state": "unverified", "rationale": ""},
        "new": {"state": "corroborated", "rationale": "Two records agree."},
        "published_at": claim.published_at.isoformat(),
        "note": "Checked the link.",
        "reason": "Two records agree.",
    }
    assert describe(event) == (
        "Edna Editor signed off the verdict of Rita Reviewer, moving the claim from Unverified "
        "to Corroborated (their note: “Checked the link.”): “Two records agree.”"
    )


@pytest.mark.parametrize("who", ["proposer", "superuser proposer"])
def test_nobody_signs_off_their_own_proposal(supported, editor, superuser, who):
    actor = editor if who == "proposer" else superuser
    proposal = propose(supported, actor)
    assert not can(actor, Action.SIGN_OFF_VERDICT, supported, target=proposal)
    with pytest.raises(PermissionDenied, match="You proposed this verdict"):
        services.verdict_sign_off(actor=actor, proposal=proposal)
    with pytest.raises(PermissionDenied, match="You proposed this verdict"):
        services.verdict_return(actor=actor, proposal=proposal, note="No.")
    assert Claim.objects.get(pk=supported.pk).state == ReviewState.UNVERIFIED


def test_a_reviewer_cannot_sign_off(supported, reviewer, other_reviewer, editor):
    proposal = propose(supported, editor)
    with pytest.raises(PermissionDenied):
        services.verdict_sign_off(actor=reviewer, proposal=proposal)


def test_the_desk_can_forbid_the_claims_creator_to_sign_off(supported, reviewer, editor, chief):
    proposal = propose(supported, reviewer)  # ``editor`` created the claim
    with override_settings(FACTCHECK_CREATOR_MAY_SIGN_OFF=False):
        with pytest.raises(PermissionDenied, match="You created this claim"):
            services.verdict_sign_off(actor=editor, proposal=proposal)
        services.verdict_sign_off(actor=chief, proposal=proposal)
    assert Claim.objects.get(pk=supported.pk).state == ReviewState.CORROBORATED


def test_with_signoff_on_nobody_changes_a_state_directly(supported, editor):
    with pytest.raises(PermissionDenied):
        services.claim_change_state(
            actor=editor,
            claim=supported,
            expected_version=supported.version,
            state=ReviewState.CORROBORATED,
            rationale="Straight through.",
        )


def test_returning_needs_a_note_the_proposer_sees(supported, reviewer, editor):
    proposal = propose(supported, reviewer)
    with pytest.raises(ValidationError) as refused:
        services.verdict_return(actor=editor, proposal=proposal, note="  ")
    assert "note" in refused.value.message_dict
    before = len(events_of(supported))

    services.verdict_return(actor=editor, proposal=proposal, note="Add the second record.")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED
    assert proposal.decision_note == "Add the second record."
    claim = Claim.objects.get(pk=supported.pk)
    assert claim.state == ReviewState.UNVERIFIED
    assert claim.signoff_waiting_since is None
    event = only_new_event(claim, before)
    assert event.action == AuditAction.VERDICT_RETURNED
    assert describe(event) == (
        "Edna Editor returned the proposal of Rita Reviewer (Corroborated): "
        "“Add the second record.”"
    )
    # Returned, the claim takes a new proposal.
    again = propose(claim, reviewer, rationale="Two records and the ledger agree.")
    assert again.is_pending


def test_only_the_proposer_withdraws(supported, reviewer, other_reviewer, editor):
    proposal = propose(supported, reviewer)
    with pytest.raises(PermissionDenied, match="Only the person who proposed it"):
        services.verdict_withdraw(actor=editor, proposal=proposal)
    before = len(events_of(supported))
    services.verdict_withdraw(actor=reviewer, proposal=proposal, reason="Wrong claim.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    event = only_new_event(supported, before)
    assert event.action == AuditAction.VERDICT_WITHDRAWN
    assert describe(event) == (
        "Rita Reviewer withdrew their proposal (Corroborated): “Wrong claim.”"
    )
    with pytest.raises(PermissionDenied, match="decided already"):
        services.verdict_sign_off(actor=editor, proposal=proposal)


def test_a_proposer_withdraws_after_closing_their_review(supported, reviewer):
    proposal = propose(supported, reviewer, close_my_review=True, review_note="Done.")
    assert not supported.assignments.filter(status="open").exists()
    services.verdict_withdraw(actor=reviewer, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.WITHDRAWN


def test_one_proposal_waits_at_a_time(supported, reviewer, editor):
    propose(supported, reviewer)
    with pytest.raises(ValidationError, match=r"Rita Reviewer.s proposal .* is waiting"):
        propose(supported, editor, rationale="Mine instead.")
    # And the database holds it even against a write that skips the service.
    claim = Claim.objects.get(pk=supported.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            claim=claim,
            proposed_by=editor,
            proposed_at=claim.updated_at,
            from_state=claim.state,
            based_on_version=claim.version,
            state=ReviewState.CORROBORATED,
            rationale="Sneaked in.",
        )


def test_sign_off_rechecks_the_evidence_at_that_moment(supported, reviewer, editor):
    proposal = propose(supported, reviewer)
    link = supported.evidence.get()
    services.evidence_retract(actor=editor, evidence=link, reason="Dead link.")
    with pytest.raises(ValidationError, match="needs at least one standing supporting"):
        services.verdict_sign_off(actor=editor, proposal=proposal)
    assert Claim.objects.get(pk=supported.pk).state == ReviewState.UNVERIFIED
    assert Proposal.objects.get(pk=proposal.pk).is_pending


def test_a_proposal_is_checked_like_the_move_itself(assigned_claim, reviewer):
    with pytest.raises(ValidationError) as refused:
        propose(assigned_claim, reviewer)  # no supporting link yet
    assert "state" in refused.value.message_dict
    add_evidence(assigned_claim, reviewer, Stance.SUPPORTS)
    with pytest.raises(ValidationError) as refused:
        propose(assigned_claim, reviewer, rationale=" ")
    assert "rationale" in refused.value.message_dict


def publish(claim, proposer, signer, **kw):
    proposal = propose(claim, proposer, **kw)
    services.verdict_sign_off(actor=signer, proposal=proposal)
    claim.refresh_from_db()
    return claim


def test_a_change_to_a_published_verdict_is_a_correction(supported, reviewer, editor):
    claim = publish(supported, reviewer, editor)
    first_published = claim.published_at
    add_evidence(claim, editor, Stance.CONTRADICTS)
    with pytest.raises(ValidationError) as refused:
        propose(claim, reviewer, state=ReviewState.DISPUTED, rationale="The audit disagrees.")
    assert "correction_note" in refused.value.message_dict

    proposal = propose(
        claim,
        reviewer,
        state=ReviewState.DISPUTED,
        rationale="The audit disagrees.",
        correction_note="We first relied on figures the audit office has since revised.",
    )
    assert proposal.is_correction
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.CORROBORATED  # until signed off
    services.verdict_sign_off(actor=editor, proposal=proposal)

    claim.refresh_from_db()
    assert claim.state == ReviewState.DISPUTED
    assert claim.published_at == first_published
    assert claim.corrected_at > first_published
    correction = Publication.objects.get(claim=claim, is_correction=True)
    assert (correction.previous_state, correction.state) == ("corroborated", "disputed")
    assert correction.previous_rationale == "Two records agree."
    assert correction.correction_note.startswith("We first relied")
    event = AuditEvent.objects.filter(claim_id=claim.pk).latest("sequence")
    assert describe(event) == (
        "Edna Editor signed off the correction by Rita Reviewer from Corroborated to Disputed, "
        "noting “We first relied on figures the audit office has since revised.”: "
        "“The audit disagrees.”"
    )


def test_a_new_rationale_for_a_published_verdict_is_a_correction(supported, reviewer, editor):
    claim = publish(supported, reviewer, editor)
    with pytest.raises(ValidationError, match="Nothing to correct"):
        propose(claim, reviewer, rationale="Two records agree.", correction_note="x")
    proposal = propose(
        claim,
        reviewer,
        rationale="Two records and the city's ledger agree.",
        correction_note="We added the city's ledger, which we had overlooked.",
    )
    services.verdict_sign_off(actor=editor, proposal=proposal)
    claim.refresh_from_db()
    assert (claim.state, claim.rationale) == (
        ReviewState.CORROBORATED,
        "Two records and the city's ledger agree.",
    )
    assert claim.corrected_at is not None


def test_sign_off_refuses_when_the_verdict_moved_since(supported, reviewer, editor, chief):
    proposal = propose(supported, reviewer)
    services.verdict_withdraw(actor=reviewer, proposal=proposal)
    claim = publish(supported, editor, chief, rationale="The editor's own.")
    # A stale proposal, as if left pending from before the verdict moved.
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.PENDING)
    with pytest.raises(ValidationError, match="changed after this was proposed"):
        services.verdict_sign_off(actor=chief, proposal=proposal)
    assert Claim.objects.get(pk=claim.pk).rationale == "The editor's own."


def test_without_signoff_a_verdict_is_published_at_once(supported, editor, settings):
    settings.FACTCHECK_SIGNOFF = False
    claim = services.claim_change_state(
        actor=editor,
        claim=supported,
        expected_version=supported.version,
        state=ReviewState.CORROBORATED,
        rationale="Straight through.",
    )
    assert claim.published_at is not None
    publication = Publication.objects.get(claim=claim)
    assert publication.without_signoff
    assert (publication.proposed_by, publication.approved_by) == (editor, editor)
    with pytest.raises(ValidationError) as refused:
        services.claim_change_state(
            actor=editor,
            claim=claim,
            expected_version=claim.version,
            state=ReviewState.UNVERIFIED,
            rationale="Reopened.",
        )
    assert "correction_note" in refused.value.message_dict


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_editors_signing_off_at_once_sign_off_once(monkeypatch, settings):
    from claims.models import Evidence
    from tests.conftest import restore_roles
    from tests.factories import ClaimFactory

    settings.FACTCHECK_SIGNOFF = True
    restore_roles()  # an earlier transactional test's flush may have emptied the groups
    proposer, first, second = (EditorFactory(username=name) for name in ("pia", "ann", "bob"))
    claim = ClaimFactory()
    Evidence.objects.create(
        claim=claim, stance=Stance.SUPPORTS, url="https://a.example/", normalized_url="x"
    )
    Claim.objects.filter(pk=claim.pk).update(supporting_count=1)
    proposal = propose(claim, proposer)

    # Hold each winner inside its transaction a while, so the loser is certainly waiting on
    # the claim's row lock rather than arriving after the commit.
    original = workflow.verdict_error

    def slow_check(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(workflow, "verdict_error", slow_check)
    barrier = threading.Barrier(2)
    outcomes = []

    def sign_off(editor):
        try:
            barrier.wait()
            services.verdict_sign_off(actor=editor, proposal=proposal)
            outcomes.append("signed off")
        except PermissionDenied as refused:
            outcomes.append(str(refused))
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_off, args=(e,)) for e in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["This proposal has been decided already.", "signed off"]
    approvals = AuditEvent.objects.filter(claim_id=claim.pk, action=AuditAction.VERDICT_APPROVED)
    assert approvals.count() == 1
    assert Publication.objects.filter(claim=claim).count() == 1
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.CORROBORATED

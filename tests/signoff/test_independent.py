"""Independent double review: each reviewer proposes blind, an editor decides once all have."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import services
from claims.audit.actions import AuditAction
from claims.audit.sentences import describe
from claims.models import AuditEvent, Claim, Proposal, ProposalStatus, ReviewState, Stance
from claims.selectors import claim_page
from tests.conftest import add_evidence, detail_url, login
from tests.factories import EditorFactory


@pytest.fixture(autouse=True)
def signoff_on(settings):
    settings.FACTCHECK_SIGNOFF = True


@pytest.fixture
def double(claim, editor, reviewer, other_reviewer):
    """A claim with evidence both ways, two reviewers, under independent review."""
    for who in (reviewer, other_reviewer):
        services.reviewer_assign(actor=editor, claim=claim, reviewer=who)
    add_evidence(claim, editor, Stance.SUPPORTS)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    return services.claim_set_review_mode(actor=editor, claim=claim, independent=True)


def propose(claim, actor, state, rationale):
    claim.refresh_from_db()
    return services.verdict_propose(
        actor=actor,
        claim=claim,
        expected_version=claim.version,
        state=state,
        rationale=rationale,
    )


def page_for(claim, user):
    claim = claim_page.claim_detail(claim.pk)
    return claim_page.claim_signoff(claim, user), claim_page.claim_timeline(claim, user)


def test_an_editor_puts_a_claim_under_independent_review(double, editor):
    assert double.independent_review
    event = AuditEvent.objects.filter(claim_id=double.pk).latest("sequence")
    assert event.action == AuditAction.CLAIM_REVIEW_MODE_CHANGED
    assert describe(event) == "Edna Editor put the claim under independent review."


def test_reviewers_judge_blind_until_they_have_proposed(double, reviewer, other_reviewer, editor):
    propose(double, reviewer, ReviewState.CORROBORATED, "The counts agree.")

    signoff, timeline = page_for(double, other_reviewer)
    assert signoff.hidden
    assert signoff.round == []
    assert (signoff.proposed, signoff.reviewers) == (1, 2)
    assert not any("The counts agree" in entry.sentence for entry in timeline)
    # The editor, who does not review it, sees it; so does its author.
    for user in (editor, reviewer):
        signoff, timeline = page_for(double, user)
        assert [p.rationale for p in signoff.round] == ["The counts agree."]
        assert any("The counts agree" in entry.sentence for entry in timeline)
    assert Claim.objects.get(pk=double.pk).signoff_waiting_since is None  # not decidable yet

    propose(double, other_reviewer, ReviewState.DISPUTED, "The audit says otherwise.")
    signoff, timeline = page_for(double, other_reviewer)
    assert not signoff.hidden
    assert signoff.complete
    assert not signoff.agree
    assert [p.state for p in signoff.round] == ["corroborated", "disputed"]
    claim = Claim.objects.get(pk=double.pk)
    assert claim.signoff_waiting_since == signoff.round[-1].proposed_at


def test_the_claim_page_hides_a_colleagues_proposal(client, double, reviewer, other_reviewer):
    propose(double, reviewer, ReviewState.CORROBORATED, "The counts agree.")
    page = login(client, other_reviewer).get(detail_url(double)).content.decode()
    assert "The counts agree." not in page
    assert "proposals stay hidden until you have proposed yourself" in page
    assert "1 of 2 reviewers have proposed." in page


def test_only_the_claims_reviewers_propose_once_each(double, reviewer, editor):
    with pytest.raises(ValidationError, match="under independent review"):
        propose(double, editor, ReviewState.CORROBORATED, "Mine.")
    propose(double, reviewer, ReviewState.CORROBORATED, "First.")
    with pytest.raises(ValidationError, match="Your proposal is waiting"):
        propose(double, reviewer, ReviewState.DISPUTED, "Second thoughts.")


def test_nothing_is_decided_before_every_reviewer_has_proposed(double, reviewer, editor):
    first = propose(double, reviewer, ReviewState.CORROBORATED, "First.")
    with pytest.raises(ValidationError, match="Not every reviewer has proposed yet"):
        services.verdict_sign_off(actor=editor, proposal=first)


def test_the_editor_signs_off_one_and_the_other_is_not_chosen(
    double, reviewer, other_reviewer, editor
):
    chosen = propose(double, reviewer, ReviewState.CORROBORATED, "The counts agree.")
    other = propose(double, other_reviewer, ReviewState.DISPUTED, "The audit disagrees.")

    services.verdict_sign_off(actor=editor, proposal=chosen)

    claim = Claim.objects.get(pk=double.pk)
    assert claim.state == ReviewState.CORROBORATED
    assert claim.signoff_waiting_since is None
    assert Proposal.objects.get(pk=other.pk).status == ProposalStatus.NOT_CHOSEN
    event = AuditEvent.objects.filter(claim_id=claim.pk).latest("sequence")
    assert event.data["not_chosen"] == [other.pk]
    assert event.data["independent"] is True


def test_the_editor_decides_with_their_own_verdict(double, reviewer, other_reviewer, editor):
    propose(double, reviewer, ReviewState.CORROBORATED, "The counts agree.")
    propose(double, other_reviewer, ReviewState.DISPUTED, "The audit disagrees.")
    double.refresh_from_db()

    services.verdict_decide(
        actor=editor,
        claim=double,
        expected_version=double.version,
        state=ReviewState.DISPUTED,
        rationale="The audit is the later record.",
    )

    claim = Claim.objects.get(pk=double.pk)
    assert (claim.state, claim.rationale) == (
        ReviewState.DISPUTED,
        "The audit is the later record.",
    )
    assert claim.published_at is not None
    assert not Proposal.objects.filter(claim=claim, status=ProposalStatus.PENDING).exists()
    event = AuditEvent.objects.filter(claim_id=claim.pk).latest("sequence")
    assert describe(event) == (
        "Edna Editor decided the independent review with their own verdict, moving the claim "
        "from Unverified to Disputed: “The audit is the later record.”"
    )


def test_an_editor_who_judged_does_not_decide(claim, editor, reviewer):
    judge = EditorFactory(username="jude", first_name="Jude", last_name="Judge")
    chief = EditorFactory(username="chen", first_name="Chen", last_name="Chief")
    for who in (reviewer, judge):
        services.reviewer_assign(actor=editor, claim=claim, reviewer=who)
    add_evidence(claim, editor, Stance.SUPPORTS)
    services.claim_set_review_mode(actor=editor, claim=claim, independent=True)
    mine = propose(claim, judge, ReviewState.CORROBORATED, "Mine.")
    theirs = propose(claim, reviewer, ReviewState.CORROBORATED, "Theirs.")
    with pytest.raises(PermissionDenied, match="You proposed in this review"):
        services.verdict_sign_off(actor=judge, proposal=theirs)
    services.verdict_sign_off(actor=chief, proposal=mine)
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.CORROBORATED


def test_the_review_mode_stays_while_a_proposal_waits(double, reviewer, editor):
    propose(double, reviewer, ReviewState.CORROBORATED, "First.")
    with pytest.raises(ValidationError, match="A proposal is waiting"):
        services.claim_set_review_mode(actor=editor, claim=double, independent=False)


def test_the_desk_can_make_independent_review_the_default(settings, editor, source):
    settings.FACTCHECK_INDEPENDENT_REVIEW = True
    claim = services.claim_create(
        actor=editor,
        text="A new claim",
        claimant="Someone",
        appearances=[services.AppearanceInput(source, "quoted")],
    )
    assert claim.independent_review


def test_a_blind_reviewers_download_leaves_out_a_colleagues_judgement(
    client, double, reviewer, other_reviewer, editor
):
    propose(double, other_reviewer, ReviewState.DISPUTED, "The flight log contradicts it.")

    def history(user) -> list[dict]:
        response = login(client, user).get(reverse("claims:export", args=["json"]))
        body = b"".join(response.streaming_content).decode()
        (claim,) = [c for c in json.loads(body) if c["id"] == double.pk]
        return claim["history"]

    def proposals(user) -> list[str]:
        return [e["data"]["reason"] for e in history(user) if e["action"] == "verdict.proposed"]

    # Rita has not proposed: Omar's proposal and its rationale are not in her download.
    assert proposals(reviewer) == []
    assert "The flight log contradicts it." not in json.dumps(history(reviewer))
    # Omar sees his own, and the editor sees every judgement.
    assert proposals(other_reviewer) == ["The flight log contradicts it."]
    assert proposals(editor) == ["The flight log contradicts it."]
    # Once Rita has judged too, she sees both.
    propose(double, reviewer, ReviewState.CORROBORATED, "The tail number matches.")
    assert sorted(proposals(reviewer)) == [
        "The flight log contradicts it.",
        "The tail number matches.",
    ]

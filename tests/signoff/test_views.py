"""Sign-off on the claim page: propose, see what waits, sign off, return, withdraw, correct."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, Proposal, ProposalStatus, ReviewState, Stance
from tests.conftest import add_evidence, detail_url, login
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


def post_move(client, claim, state=ReviewState.CORROBORATED, rationale="Two records agree.", **kw):
    claim.refresh_from_db()
    data = {
        "state-state": state,
        "state-rationale": rationale,
        "state-expected_version": claim.version,
        **{f"state-{key}": value for key, value in kw.items()},
    }
    return client.post(reverse("claims:state_change", args=[claim.pk]), data)


def decide(client, claim, proposal, decision, **data):
    prefix = {"sign_off": "sign-off", "return": "return", "withdraw": "withdraw-proposal"}
    return client.post(
        reverse(f"claims:verdict_{decision}", args=[claim.pk, proposal.pk]),
        {f"{prefix[decision]}-{key}": value for key, value in data.items()},
    )


def test_a_reviewer_proposes_and_the_page_shows_it_waiting(client, supported, reviewer):
    page = login(client, reviewer).get(detail_url(supported)).content.decode()
    assert "Propose and close my review" in page
    assert "Another editor signs it off before it takes effect." in page

    response = post_move(client, supported)
    proposal = Proposal.objects.get(claim=supported)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#proposal-{proposal.pk}")
    assert Claim.objects.get(pk=supported.pk).state == ReviewState.UNVERIFIED

    page = client.get(detail_url(supported)).content.decode()
    assert "Waiting for sign-off" in page
    assert "Rita Reviewer proposes" in page
    assert "Proposed: it waits for another editor&#x27;s sign-off." in page
    # Their own proposal: the sign-off is not theirs to give, and the page says why.
    assert "You proposed this verdict" not in page  # a reviewer may not sign off at all
    assert "Withdraw my proposal" in page
    assert 'name="state-state"' not in page  # one proposal at a time


def test_the_proposing_editor_sees_sign_off_disabled_with_the_reason(client, supported, editor):
    login(client, editor)
    post_move(client, supported)
    page = client.get(detail_url(supported)).content.decode()
    assert "disabled" in page
    assert "You proposed this verdict: another editor signs it off or returns it." in page
    proposal = Proposal.objects.get(claim=supported)
    assert decide(client, supported, proposal, "sign_off").status_code == 403


def test_another_editor_signs_off_and_the_verdict_is_published(client, supported, reviewer, editor):
    login(client, reviewer)
    post_move(client, supported)
    proposal = Proposal.objects.get(claim=supported)

    login(client, editor)
    page = client.get(detail_url(supported)).content.decode()
    assert "Sign off and publish" in page
    assert "Return to the proposer" in page
    response = decide(client, supported, proposal, "sign_off", note="Good work.")
    assert response.status_code == 302
    assert response["Location"].endswith("#state-now")
    claim = Claim.objects.get(pk=supported.pk)
    assert claim.state == ReviewState.CORROBORATED
    page = client.get(detail_url(supported)).content.decode()
    assert "Signed off: the verdict is published." in page
    assert "Published " in page
    assert "Edna Editor signed off the verdict of Rita Reviewer" in page


def test_returning_keeps_the_form_without_a_note_then_tells_the_proposer(
    client, supported, reviewer, editor
):
    login(client, reviewer)
    post_move(client, supported)
    proposal = Proposal.objects.get(claim=supported)

    login(client, editor)
    refused = decide(client, supported, proposal, "return", note="  ")
    assert refused.status_code == 422
    assert refused.context["forms"]["return"].errors["note"]
    assert decide(client, supported, proposal, "return", note="Cite the ledger.").status_code == 302

    page = login(client, reviewer).get(detail_url(supported)).content.decode()
    assert "Edna Editor returned the proposal of Rita Reviewer (Corroborated)" in page
    assert "Cite the ledger." in page
    assert "Work on it and propose again when it is ready." in page
    assert 'name="state-state"' in page  # free to propose again


def test_the_proposer_withdraws(client, supported, reviewer):
    login(client, reviewer)
    post_move(client, supported)
    proposal = Proposal.objects.get(claim=supported)
    assert decide(client, supported, proposal, "withdraw", reason="").status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.WITHDRAWN


def test_a_sign_off_refused_at_that_moment_says_why(client, supported, reviewer, editor, chief):
    login(client, reviewer)
    post_move(client, supported)
    proposal = Proposal.objects.get(claim=supported)
    services.evidence_retract(actor=chief, evidence=supported.evidence.get(), reason="Dead.")

    response = decide(login(client, editor), supported, proposal, "sign_off", note="Fine.")
    assert response.status_code == 422
    page = response.content.decode()
    assert "It cannot be signed off now" in page
    assert "needs at least one standing supporting evidence link" in page
    assert response.context["forms"]["sign-off"]["note"].value() == "Fine."


def test_a_correction_asks_for_its_public_note_and_shows_on_the_page(
    client, supported, reviewer, editor
):
    login(client, reviewer)
    post_move(client, supported)
    decide(login(client, editor), supported, Proposal.objects.get(claim=supported), "sign_off")
    add_evidence(supported, editor, Stance.CONTRADICTS)

    page = client.get(detail_url(supported)).content.decode()
    assert "Correction note" in page
    assert "Keep this verdict, correct its rationale" in page
    login(client, reviewer)
    refused = post_move(client, supported, ReviewState.DISPUTED, "The audit disagrees.")
    assert refused.status_code == 422
    form = refused.context["forms"]["state"]
    assert form.errors["correction_note"]
    assert form["rationale"].value() == "The audit disagrees."
    post_move(
        client,
        supported,
        ReviewState.DISPUTED,
        "The audit disagrees.",
        correction_note="We relied on figures since revised.",
    )
    correction = Proposal.objects.get(claim=supported, status=ProposalStatus.PENDING)
    assert "Correction waiting for sign-off" in client.get(detail_url(supported)).content.decode()
    decide(login(client, editor), supported, correction, "sign_off")

    page = client.get(detail_url(supported)).content.decode()
    assert "Signed off: the correction is published." in page
    assert "From Corroborated to Disputed:" in page
    assert "We relied on figures since revised." in page
    assert "Published " in page
    assert ", corrected " in page


def test_the_claim_page_reads_sign_off_in_bounded_queries(
    client, supported, reviewer, editor, django_assert_max_num_queries
):
    login(client, reviewer)
    post_move(client, supported)
    login(client, editor)
    with django_assert_max_num_queries(16):
        assert client.get(detail_url(supported)).status_code == 200


def test_my_queue_lists_what_waits_for_an_editors_sign_off(
    client, supported, reviewer, editor, chief, django_assert_max_num_queries
):
    login(client, reviewer)
    post_move(client, supported)
    page = login(client, chief).get(reverse("claims:my_queue")).content.decode()
    assert "Waiting for your sign-off (1)" in page
    assert supported.text in page
    assert "ready for sign-off just now" in page
    with django_assert_max_num_queries(8):
        client.get(reverse("claims:my_queue"))
    # Nobody is asked to sign off their own proposal; a reviewer signs off nothing.
    Proposal.objects.filter(claim=supported).update(proposed_by=chief)
    assert (
        "Waiting for your sign-off" not in client.get(reverse("claims:my_queue")).content.decode()
    )
    page = login(client, reviewer).get(reverse("claims:my_queue")).content.decode()
    assert "Waiting for your sign-off" not in page

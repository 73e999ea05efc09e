"""A claim's page: what it shows, to whom, in how many queries, escaped."""

from django.urls import reverse

from claims.models import Claim, ReviewState, Stance
from tests.conftest import add_evidence, change_state, detail_url, login, make_claim
from tests.factories import SourceFactory

# Claim page ---------------------------------------------------------------------------------------


def test_claim_page_shows_everything(client, editor, queue_desk):
    claims, _ = queue_desk
    claim = claims["disputed"]
    response = login(client, editor).get(detail_url(claim))
    content = response.content.decode()
    assert response.status_code == 200
    assert claim.text in content
    assert "The other report says the opposite." in content
    assert "quoted words" in content
    assert "Contradicting evidence" in content
    assert "Omar Other" in content
    assert "changed the state from Unverified to Disputed" in content


def test_claim_page_query_count_does_not_grow_with_evidence(
    client, editor, claim, django_assert_max_num_queries
):
    login(client, editor)
    for number in range(8):
        add_evidence(claim, editor, Stance.SUPPORTS, url=f"https://a.example/{number}")
    with django_assert_max_num_queries(14):
        assert client.get(detail_url(claim)).status_code == 200


def test_viewer_sees_no_action_forms(client, viewer, assigned_claim, editor):
    add_evidence(assigned_claim, editor, Stance.SUPPORTS)
    content = login(client, viewer).get(detail_url(assigned_claim)).content.decode()
    for absent in (
        "Add supporting link",
        "Change state",
        "Assign a reviewer",
        "Retract",
        "Edit claim",
        "Mark done",
        "Withdraw",
    ):
        assert absent not in content


def test_unassigned_reviewer_sees_no_action_forms(client, reviewer, claim):
    content = login(client, reviewer).get(detail_url(claim)).content.decode()
    assert "Add supporting link" not in content
    assert "Change state" not in content


def test_assigned_reviewer_sees_review_forms_but_not_editor_ones(client, reviewer, assigned_claim):
    content = login(client, reviewer).get(detail_url(assigned_claim)).content.decode()
    assert "Add supporting link" in content
    assert "Add contradicting link" in content
    assert "Mark done" in content
    assert "Assign a reviewer" not in content
    assert "Withdraw" not in content
    assert "Edit claim" not in content


def test_state_form_offers_only_the_moves_allowed_now(client, editor, claim):
    login(client, editor)
    form = client.get(detail_url(claim)).context["forms"]["state"]
    assert form.fields["state"].widget.choices == []
    add_evidence(claim, editor, Stance.CONTRADICTS)
    form = client.get(detail_url(claim)).context["forms"]["state"]
    assert [value for value, _ in form.fields["state"].widget.choices] == [ReviewState.DISPUTED]


def test_user_input_is_escaped_everywhere(client, editor):
    source = SourceFactory(title="<b>Source</b>")
    claim = make_claim(
        editor, "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", source
    )
    add_evidence(claim, editor, Stance.SUPPORTS, title="<i>t</i>", excerpt="<script>e</script>")
    login(client, editor)
    for url in ("/claims/", detail_url(claim)):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content
        assert "&lt;script&gt;" in content


def test_retract_on_the_last_link_a_verdict_rests_on_is_shown_disabled_with_why(
    client, editor, claim
):
    link = add_evidence(claim, editor, Stance.SUPPORTS)
    change_state(Claim.objects.get(pk=claim.pk), editor, ReviewState.CORROBORATED)
    page = login(client, editor).get(detail_url(claim)).content.decode()
    assert f'aria-describedby="blocked-{link.pk}"' in page
    assert "This is the last standing supporting link of a claim that is corroborated" in page
    assert reverse("claims:evidence_retract", args=[claim.pk, link.pk]) not in page


def test_a_reviewer_not_assigned_is_told_why_there_is_nothing_to_do(client, reviewer, claim):
    page = login(client, reviewer).get(detail_url(claim)).content.decode()
    assert "This claim is not assigned to you" in page


def test_an_assigned_reviewer_is_not_told_so(client, reviewer, assigned_claim):
    page = login(client, reviewer).get(detail_url(assigned_claim)).content.decode()
    assert "This claim is not assigned to you" not in page

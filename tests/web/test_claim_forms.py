"""Creating and editing claims, with their sources and quoted passages."""

from django.urls import reverse

from claims.audit.actions import AuditAction
from claims.models import AuditEvent, Claim
from tests.conftest import detail_url, login
from tests.factories import ReviewerFactory

# Create and edit ----------------------------------------------------------------------------------


def claim_post(source, **fields):
    data = {
        "text": "The drone strike happened near Baghdad airport.",
        "claimant": "Evening Post",
        "claimed_on": "2023-10-11",
        "appearances-TOTAL_FORMS": "1",
        "appearances-INITIAL_FORMS": "0",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "20",
        "appearances-0-source": source.pk if source else "",
        "appearances-0-quote": "killed near the airport",
    }
    data.update(fields)
    return data


def test_editor_creates_a_claim(client, editor, source):
    response = login(client, editor).post("/claims/new/", claim_post(source))
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(claim)
    assert claim.appearances.get().quote == "killed near the airport"
    assert AuditEvent.objects.get(claim_id=claim.pk).action == AuditAction.CLAIM_CREATED


def test_create_without_a_source_keeps_what_was_typed(client, editor, source):
    response = login(client, editor).post("/claims/new/", claim_post(None))
    assert response.status_code == 422
    assert "The drone strike happened near Baghdad airport." in response.content.decode()
    assert not Claim.objects.exists()


def test_create_with_bad_date_shows_the_error_at_the_field(client, editor, source):
    response = login(client, editor).post(
        "/claims/new/", claim_post(source, claimed_on="2023-13-45")
    )
    assert response.status_code == 422
    assert "claimed_on" in response.context["form"].errors


def test_edit_claim_and_conflict_on_stale_version(client, editor, claim, source):
    url = reverse("claims:edit", args=[claim.pk])
    login(client, editor)
    data = claim_post(
        source, text="A sharper wording", claimant=claim.claimant, expected_version=claim.version
    )
    data.update({"appearances-INITIAL_FORMS": "1"})
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.text == "A sharper wording"

    data["text"] = "Typed on a stale page"  # expected_version is now one behind
    response = client.post(url, data)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this claim" in content
    assert "Typed on a stale page" in content
    claim.refresh_from_db()
    assert claim.text == "A sharper wording"


def test_new_source_then_back_to_the_claim_form(client, editor):
    login(client, editor)
    response = client.post(
        "/sources/new/",
        {"title": "Evening bulletin", "url": "https://tv.example/bulletin", "next": "/claims/new/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/claims/new/"
    response = client.post(
        "/sources/new/",
        {"title": "Bad", "url": "javascript:alert(1)", "next": "https://evil.example/"},
    )
    assert response.status_code == 422
    assert "url" in response.context["form"].errors


def test_new_source_does_not_redirect_off_site(client, editor):
    response = login(client, editor).post(
        "/sources/new/", {"title": "Evening bulletin", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/claims/new/"


def test_reviewer_factory_users_are_offered_as_reviewers(client, editor, claim):
    ReviewerFactory(username="zoe", first_name="Zoe", last_name="Zed")
    content = login(client, editor).get(detail_url(claim)).content.decode()
    assert "Zoe Zed" in content


def test_create_with_a_new_source_described_inline(client, editor):
    data = claim_post(
        None,
        **{
            "appearances-0-new_source_title": "Mar-a-Lago remarks",
            "appearances-0-new_source_url": "https://news.example/mar-a-lago",
            "appearances-0-new_source_outlet": "Example Post",
        },
    )
    response = login(client, editor).post("/claims/new/", data)
    assert response.status_code == 302
    appearance = Claim.objects.get().appearances.select_related("source").get()
    assert appearance.source.title == "Mar-a-Lago remarks"
    assert appearance.source.outlet == "Example Post"
    event = AuditEvent.objects.get(claim_id=appearance.claim_id)
    assert event.data["new"]["appearances"][0]["source_id"] == appearance.source_id


def test_new_source_with_a_bad_address_keeps_everything_typed(client, editor):
    data = claim_post(
        None,
        **{
            "appearances-0-new_source_title": "Mar-a-Lago remarks",
            "appearances-0-new_source_url": "javascript:alert(1)",
        },
    )
    response = login(client, editor).post("/claims/new/", data)
    assert response.status_code == 422
    content = response.content.decode()
    assert "Mar-a-Lago remarks" in content
    assert "The drone strike happened near Baghdad airport." in content
    assert not Claim.objects.exists()
    from claims.models import Source

    assert not Source.objects.exists()

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
    """Without what the page showed (seen_*), a stale page's edit clashes: nothing is written."""
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


def edit_data(claim, **changes):
    """The edit form as its page showed ``claim``, with ``changes`` typed in."""
    claim = Claim.objects.get(pk=claim.pk)
    shown = {
        "text": claim.text,
        "claimant": claim.claimant,
        "claimed_on": claim.claimed_on.isoformat() if claim.claimed_on else "",
    }
    rows = list(claim.appearances.all())
    data = {
        **shown,
        **{f"seen_{field}": value for field, value in shown.items()},
        "expected_version": claim.version,
        "appearances-TOTAL_FORMS": str(len(rows)),
        "appearances-INITIAL_FORMS": str(len(rows)),
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "20",
    }
    for number, row in enumerate(rows):
        data[f"appearances-{number}-source"] = row.source_id
        data[f"appearances-{number}-quote"] = row.quote
    return {**data, **changes}


def test_two_edits_of_different_fields_merge(client, editor, claim):
    """Tab A changes the claimant, tab B (opened before) the text: both land."""
    url = reverse("claims:edit", args=[claim.pk])
    login(client, editor)
    tab_a, tab_b = edit_data(claim, claimant="The White House"), edit_data(claim)
    assert client.post(url, tab_a).status_code == 302
    response = client.post(url, {**tab_b, "text": "A sharper wording"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.claimant) == ("A sharper wording", "The White House")


def test_a_clash_is_shown_side_by_side_and_nothing_typed_is_lost(client, editor, claim):
    url = reverse("claims:edit", args=[claim.pk])
    login(client, editor)
    stale = edit_data(claim)
    client.post(url, edit_data(claim, text="Their wording", claimant="The White House"))
    response = client.post(url, {**stale, "text": "My wording"})
    assert response.status_code == 409
    assert [c["field"] for c in response.context["clashes"]] == ["text"]
    content = response.content.decode()
    assert "Their wording" in content
    assert "My wording" in content
    assert "Edna Editor edited the claim (claimant, text)" in content
    form = response.context["form"]
    assert form.data["text"] == "My wording"  # kept
    assert form.data["claimant"] == "The White House"  # left alone: shows what is saved
    assert Claim.objects.get(pk=claim.pk).text == "Their wording"

    # One more Save writes only this user's choice: their claimant is not put back.
    again = client.post(url, form.data)
    assert again.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.claimant) == ("My wording", "The White House")


def test_keeping_the_saved_value_of_a_clashing_field(client, editor, claim):
    url = reverse("claims:edit", args=[claim.pk])
    login(client, editor)
    stale = edit_data(claim)
    client.post(url, edit_data(claim, text="Their wording"))
    form = client.post(url, {**stale, "text": "My wording", "claimant": "Me"}).context["form"]
    data = form.data.copy()
    data.setlist("keep_theirs", ["text"])
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.claimant) == ("Their wording", "Me")


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

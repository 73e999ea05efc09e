"""Creating and editing claims, with their sources and quoted passages."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.audit.actions import AuditAction
from claims.models import AuditEvent, Claim
from claims.permissions import Action
from claims.web.views import editing
from tests.conftest import detail_url, edit_data, login
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


# The new claim page: labels, rows added and removed in place, a reviewer at once ---------------


def test_source_is_not_labelled_optional(client, editor, source):
    page = login(client, editor).get("/claims/new/").content.decode()
    label = page.split('<label for="id_appearances-0-source">', 1)[1].split("</label>", 1)[0]
    assert "optional" not in label
    # The browser must still let a row name a new source instead of picking one on file.
    select = page.split('<select name="appearances-0-source"', 1)[1].split(">", 1)[0]
    assert "required" not in select


def test_add_another_source_keeps_everything_typed_and_adds_a_row(client, editor, source):
    data = claim_post(source, add_appearance="1", **{"appearances-0-quote": "half typed"})
    data["claimant"] = ""  # not filled in yet: no error for it on the way
    response = login(client, editor).post("/claims/new/", data)
    assert response.status_code == 200
    assert not Claim.objects.exists()
    formset = response.context["formset"]
    assert len(formset.forms) == 2
    kept = formset.forms[0].initial
    assert (kept["source"], kept["quote"]) == (str(source.pk), "half typed")
    assert not formset.forms[1].initial
    content = response.content.decode()
    assert "The drone strike happened near Baghdad airport." in content
    assert "This field is required" not in content
    # The rows come back as new input: the next submission creates both.
    assert 'name="appearances-TOTAL_FORMS" value="2"' in content
    assert 'name="appearances-INITIAL_FORMS" value="0"' in content


def test_rows_marked_for_removal_are_dropped_when_a_row_is_added(client, editor, source):
    data = claim_post(
        source,
        add_appearance="1",
        **{
            "appearances-TOTAL_FORMS": "2",
            "appearances-1-new_source_title": "Not this one",
            "appearances-1-quote": "wrong passage",
            "appearances-1-DELETE": "on",
        },
    )
    response = login(client, editor).post("/claims/new/", data)
    forms = response.context["formset"].forms
    assert [form.initial.get("quote") for form in forms] == ["killed near the airport", None]
    assert "Not this one" not in response.content.decode()


def test_two_rows_typed_after_adding_one_are_both_created(client, editor, source):
    from tests.factories import SourceFactory

    second = SourceFactory(title="Second source")
    data = claim_post(
        source,
        **{
            "appearances-TOTAL_FORMS": "2",
            "appearances-1-source": second.pk,
            "appearances-1-quote": "near the airport",
        },
    )
    assert login(client, editor).post("/claims/new/", data).status_code == 302
    assert Claim.objects.get().appearances.count() == 2


def test_edit_page_adds_a_row_and_keeps_the_version_seen(client, editor, claim, source):
    data = claim_post(source, add_appearance="1", expected_version=claim.version)
    data["appearances-INITIAL_FORMS"] = "1"
    response = login(client, editor).post(reverse("claims:edit", args=[claim.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].initial["expected_version"] == str(claim.version)
    assert len(response.context["formset"].forms) == 2


def test_editor_assigns_a_reviewer_while_creating(client, editor, reviewer, source):
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = login(client, editor).post(
        "/claims/new/", claim_post(source, reviewer=reviewer.pk, due_on=due)
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assignment = claim.assignments.get()
    assert (assignment.reviewer, assignment.due_on.isoformat()) == (reviewer, due)
    actions = list(AuditEvent.objects.filter(claim_id=claim.pk).values_list("action", flat=True))
    assert actions == [AuditAction.CLAIM_CREATED, AuditAction.REVIEWER_ASSIGNED]


def test_a_refused_assignment_leaves_no_claim_behind(client, editor, reviewer, source, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"reviewer": "Rita is away."})

    monkeypatch.setattr(services, "reviewer_assign", refuse)
    response = login(client, editor).post("/claims/new/", claim_post(source, reviewer=reviewer.pk))
    assert response.status_code == 422
    assert "Rita is away." in response.content.decode()
    assert not Claim.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_due_date_needs_a_reviewer(client, editor, source):
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = login(client, editor).post("/claims/new/", claim_post(source, due_on=due))
    assert response.status_code == 422
    assert "due_on" in response.context["form"].errors


def test_reviewer_field_only_for_those_who_may_assign(
    client, editor, reviewer, source, monkeypatch
):
    login(client, editor)
    assert 'name="reviewer"' in client.get("/claims/new/").content.decode()

    def may(user, action, *args, **kwargs):
        return action != Action.ASSIGN_REVIEWER

    monkeypatch.setattr(editing, "can", may)
    assert 'name="reviewer"' not in client.get("/claims/new/").content.decode()
    response = client.post("/claims/new/", claim_post(source, reviewer=reviewer.pk))
    assert response.status_code == 302
    assert not Claim.objects.get().assignments.exists()


def test_editing_a_claim_with_a_verdict_asks_why_and_the_history_shows_before_and_after(
    client, editor, claim
):
    from claims.models import ReviewState, Stance
    from tests.conftest import add_evidence, change_state

    add_evidence(claim, editor, Stance.SUPPORTS)
    change_state(Claim.objects.get(pk=claim.pk), editor, ReviewState.CORROBORATED)
    url = reverse("claims:edit", args=[claim.pk])
    login(client, editor)
    old_text = Claim.objects.get(pk=claim.pk).text

    refused = client.post(url, edit_data(claim, text="Israel withdrew the night before."))
    assert refused.status_code == 422
    assert refused.context["form"].errors["reason"] == ["This field is required."]
    assert "Israel withdrew the night before." in refused.content.decode()

    saved = client.post(
        url, edit_data(claim, text="Israel withdrew the night before.", reason="Closer quote.")
    )
    assert saved.status_code == 302
    page = client.get(detail_url(claim)).content.decode()
    assert (
        f"changed the claim&#x27;s text from “{old_text}” to “Israel withdrew the night before.”"
        in page
    )
    assert "“Closer quote.”" in page


def test_claim_text_has_a_maximum_that_the_page_announces(client, editor, source):
    login(client, editor)
    page = client.get("/claims/new/").content.decode()
    assert 'maxlength="1000"' in page
    assert 'data-counter="%(left)s characters left"' in page
    response = client.post("/claims/new/", claim_post(source, text="x" * 1001))
    assert response.status_code == 422
    assert response.context["form"].errors["text"] == [
        "Ensure this value has at most 1000 characters (it has 1001)."
    ]

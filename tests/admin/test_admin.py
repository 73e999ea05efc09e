"""The admin: every model registered, audit events read-only, every save through the services."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.audit.actions import AuditAction
from claims.models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    Evidence,
    ReviewState,
    Source,
    Stance,
)
from tests.conftest import add_evidence
from tests.factories import SourceFactory, UserFactory

MODELS = ("source", "claim", "evidence", "assignment", "auditevent")


# Helpers ------------------------------------------------------------------------------------------


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:claims_{model}_{view}", args=args)


def form_data(response) -> dict:
    """What the browser would post back from an admin add/change page, as it was rendered."""
    data = {}
    for bound in response.context["adminform"].form:
        value = bound.value()
        if value is not None:
            data[bound.html_name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        for form in formset.forms:
            for bound in form:
                value = bound.value()
                if value not in (None, False):
                    data[bound.html_name] = value
    return data


def page_errors(response) -> list[str]:
    form = response.context["adminform"].form
    return [str(message) for message in form.non_field_errors()]


def events(claim, action=None):
    qs = AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence")
    return list(qs.filter(action=action) if action else qs)


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def evidence(claim, editor):
    return add_evidence(claim, editor, url="https://evidence.example/report")


# Every model is registered and renders -----------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["staff_editor", "superuser"])
def test_changelists_and_change_pages_render(client, request, user_fixture, evidence, reviewer):
    claim = evidence.claim
    services.reviewer_assign(
        actor=request.getfixturevalue("editor"),
        claim=claim,
        expected_version=Claim.objects.get(pk=claim.pk).version,
        reviewer=reviewer,
    )
    client.force_login(request.getfixturevalue(user_fixture))
    objects = {
        "source": Source.objects.get(),
        "claim": claim,
        "evidence": evidence,
        "assignment": Assignment.objects.get(),
        "auditevent": AuditEvent.objects.filter(claim_id=claim.pk).last(),
    }
    for model, obj in objects.items():
        assert client.get(admin_url(model, "changelist")).status_code == 200, model
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        if model != "auditevent":
            assert client.get(admin_url(model, "add")).status_code == 200, model


def test_changelists_survive_odd_search_and_filter_input(editor_client, evidence):
    for model in MODELS:
        url = admin_url(model, "changelist")
        for query in ("?q=%3Cscript%3E%27%22", "?q=42", "?created_at__year=abc", "?o=99"):
            assert editor_client.get(url + query).status_code in (200, 302), (model, query)


def test_audit_trail_of_one_claim_is_reachable_from_the_claim_page(editor_client, claim):
    response = editor_client.get(admin_url("claim", "change", claim.pk))
    trail = admin_url("auditevent", "changelist") + f"?claim__id__exact={claim.pk}"
    assert trail in response.content.decode()
    assert editor_client.get(trail).status_code == 200


def test_changelist_queries_do_not_grow_with_rows(editor_client, editor, reviewer, source):
    def counts():
        result = {}
        for model in MODELS:
            with CaptureQueriesContext(connection) as queries:
                assert editor_client.get(admin_url(model, "changelist")).status_code == 200
            result[model] = len(queries)
        return result

    def desk_activity(number):
        claim = services.claim_create(
            actor=editor,
            text=f"Claim {number}",
            claimant="Someone",
            appearances=[services.AppearanceInput(SourceFactory(), "quoted")],
        )
        add_evidence(claim, editor, url=f"https://evidence.example/{number}")
        services.reviewer_assign(
            actor=editor, claim=claim, expected_version=claim.version, reviewer=reviewer
        )

    desk_activity(1)
    few = counts()
    for number in range(2, 6):
        desk_activity(number)
    assert counts() == few


def test_claim_and_source_autocomplete_answer_editors(editor_client, claim, source):
    for model_name, field_name, term, expected in (
        ("evidence", "claim", "Israel", claim),
        ("assignment", "claim", "Israel", claim),
        ("appearance", "source", source.title, source),
    ):
        response = editor_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "claims",
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200, model_name
        assert [row["id"] for row in response.json()["results"]] == [str(expected.pk)]


def reviewer_lookup(client, term=""):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": "assignment", "field_name": "reviewer", "term": term},
    )


def test_reviewer_autocomplete_offers_only_people_who_may_review(
    editor_client, staff_editor, reviewer, other_reviewer, viewer
):
    response = reviewer_lookup(editor_client)
    assert response.status_code == 200
    offered = {row["id"] for row in response.json()["results"]}
    assert offered == {str(reviewer.pk), str(other_reviewer.pk), str(staff_editor.pk)}
    assert str(viewer.pk) not in offered
    found = reviewer_lookup(editor_client, "Omar").json()["results"]
    assert [row["id"] for row in found] == [str(other_reviewer.pk)]
    # The assignment add form uses it.
    page = editor_client.get(admin_url("assignment", "add")).content.decode()
    assert 'data-field-name="reviewer"' in page
    # Answering it does not open the user list to editors.
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_reviewer_autocomplete_searches_names_not_email_addresses(
    editor_client, staff_editor, reviewer
):
    reviewer.email = "rita.private@home.example"
    reviewer.save(update_fields=["email"])
    assert reviewer_lookup(editor_client, "home.example").json()["results"] == []
    found = reviewer_lookup(editor_client, "Rita").json()["results"]
    assert [row["id"] for row in found] == [str(reviewer.pk)]


def test_reviewer_autocomplete_is_refused_to_staff_who_may_not_assign(client, reviewer):
    reviewer.is_staff = True
    reviewer.save(update_fields=["is_staff"])
    client.force_login(reviewer)
    assert reviewer_lookup(client).status_code == 403


# Claims -------------------------------------------------------------------------------------------


def test_adding_a_claim_writes_one_created_event_with_the_actor(editor_client, staff_editor):
    source = SourceFactory()
    response = editor_client.get(admin_url("claim", "add"))
    data = form_data(response) | {
        "text": "The bridge was closed for a year.",
        "claimant": "The mayor",
        "claimed_on": "2024-03-01",
        "appearances-0-source": source.pk,
        "appearances-0-quote": "closed for a year",
    }
    response = editor_client.post(admin_url("claim", "add"), data)

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.text, claim.claimant, claim.created_by) == (
        "The bridge was closed for a year.",
        "The mayor",
        staff_editor,
    )
    assert [(a.source, a.quote) for a in claim.appearances.all()] == [(source, "closed for a year")]
    [event] = events(claim)
    assert (event.action, event.actor, event.actor_name) == (
        AuditAction.CLAIM_CREATED,
        staff_editor,
        "Edna Editor",
    )
    assert event.data["new"]["appearances"][0]["quote"] == "closed for a year"


def test_adding_a_claim_with_invalid_input_keeps_it_and_writes_nothing(editor_client):
    response = editor_client.get(admin_url("claim", "add"))
    data = form_data(response) | {"text": "Kept text", "claimant": "", "claimed_on": "31/31/2024"}
    response = editor_client.post(admin_url("claim", "add"), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.errors) == {"claimant", "claimed_on"}
    assert form["text"].value() == "Kept text"
    assert not Claim.objects.exists()
    assert not AuditEvent.objects.exists()


def test_adding_a_claim_with_one_source_twice_is_refused(editor_client, source):
    data = form_data(editor_client.get(admin_url("claim", "add"))) | {
        "text": "Twice",
        "claimant": "Someone",
        "appearances-TOTAL_FORMS": "2",
        "appearances-0-source": source.pk,
        "appearances-1-source": source.pk,
    }
    response = editor_client.post(admin_url("claim", "add"), data)

    assert response.status_code == 200
    assert page_errors(response) == ["Correct the errors in the appearances below."]
    assert not Claim.objects.exists()


def test_editing_a_claim_writes_edited_event_with_old_and_new_values(
    editor_client, staff_editor, claim
):
    response = editor_client.get(admin_url("claim", "change", claim.pk))
    data = form_data(response) | {"text": "Israel never joined the strike.", "claimant": "Trump"}
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.version == 2
    assert claim.text == "Israel never joined the strike."
    [event] = events(claim, AuditAction.CLAIM_EDITED)
    assert event.actor == staff_editor
    assert event.data == {
        "old": {
            "text": "Israel pulled out of the strike the night before.",
            "claimant": "Donald Trump",
        },
        "new": {"text": "Israel never joined the strike.", "claimant": "Trump"},
    }


def test_editing_appearances_inline_goes_through_the_service(editor_client, claim, source):
    other = SourceFactory(title="Second report")
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    data |= {
        "appearances-0-DELETE": "on",
        "appearances-1-source": other.pk,
        "appearances-1-quote": "a new passage",
    }
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 302
    assert [(a.source, a.quote) for a in claim.appearances.all()] == [(other, "a new passage")]
    [event] = events(claim, AuditAction.CLAIM_EDITED)
    assert [a["source_id"] for a in event.data["old"]["appearances"]] == [source.pk]
    assert [a["source_id"] for a in event.data["new"]["appearances"]] == [other.pk]


def test_saving_an_unchanged_claim_writes_nothing(editor_client, claim):
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.version == 1
    assert len(events(claim)) == 1


def test_stale_edit_shows_a_conflict_keeps_the_input_and_does_not_overwrite(
    editor_client, editor, claim
):
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=1,
        text="Someone else's wording.",
        claimant=claim.claimant,
        claimed_on=claim.claimed_on,
    )
    data["text"] = "My wording."
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 200
    errors = page_errors(response)
    assert "Someone else changed this claim" in errors[0]
    assert "you saw version 1, it is now version 2" in errors[0]
    assert "Someone else's wording." in errors[1]
    assert response.context["adminform"].form["text"].value() == "My wording."
    content = response.content.decode()
    assert "My wording." in content
    assert "Someone else changed this claim while you were working on it" in content
    claim.refresh_from_db()
    assert claim.text == "Someone else's wording."
    assert len(events(claim, AuditAction.CLAIM_EDITED)) == 1

    # Having seen the conflict, submitting the re-rendered form again is a deliberate overwrite.
    again = form_data(response)
    assert again["expected_version"] == "2"
    assert editor_client.post(admin_url("claim", "change", claim.pk), again).status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("My wording.", 3)


def test_tampered_version_is_a_form_error_not_a_server_error(editor_client, claim):
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    data |= {"expected_version": "not-a-number", "text": "Changed"}
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 200
    assert "Reload the page" in page_errors(response)[0]
    claim.refresh_from_db()
    assert claim.version == 1


def test_tampered_claim_posts_are_form_errors_not_server_errors(editor_client, claim):
    url = admin_url("claim", "change", claim.pk)
    assert editor_client.post(url, {}).status_code == 200
    response = editor_client.post(
        url, {"text": "New", "claimant": "X", "expected_version": "1"}
    )  # no appearance rows at all
    assert response.status_code == 200
    assert page_errors(response) == ["Correct the errors in the appearances below."]
    claim.refresh_from_db()
    assert claim.version == 1


def test_staff_user_who_is_not_an_editor_gets_an_error_not_a_write(client, db):
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.set(
        Permission.objects.filter(codename__in=["add_claim", "view_claim", "view_source"])
    )
    client.force_login(clerk)
    data = form_data(client.get(admin_url("claim", "add"))) | {"text": "A", "claimant": "B"}
    response = client.post(admin_url("claim", "add"), data)

    assert response.status_code == 200
    assert page_errors(response) == ["You do not have permission to create claims."]
    assert not Claim.objects.exists()


def test_viewer_staff_sees_claims_read_only(client, viewer, claim):
    viewer.is_staff = True
    viewer.save(update_fields=["is_staff"])
    client.force_login(viewer)

    response = client.get(admin_url("claim", "change", claim.pk))
    assert response.status_code == 200
    assert 'name="text"' not in response.content.decode()
    assert client.post(admin_url("claim", "change", claim.pk), {}).status_code == 403
    assert client.get(admin_url("claim", "add")).status_code == 403


def test_claims_cannot_be_deleted_in_the_admin(client, superuser, claim):
    client.force_login(superuser)
    assert client.get(admin_url("claim", "delete", claim.pk)).status_code == 403
    assert client.post(admin_url("claim", "delete", claim.pk), {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize("user_fixture", ["staff_editor", "superuser"])
def test_no_delete_anywhere(client, request, user_fixture, evidence):
    client.force_login(request.getfixturevalue(user_fixture))
    objects = {
        "source": Source.objects.get(),
        "claim": evidence.claim,
        "evidence": evidence,
        "auditevent": AuditEvent.objects.first(),
    }
    for model in MODELS:
        response = client.get(admin_url(model, "changelist"))
        assert b"delete_selected" not in response.content, model
    for model, obj in objects.items():
        assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        response = client.post(
            admin_url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        assert response.status_code in (200, 302), model
        assert type(obj).objects.filter(pk=obj.pk).exists(), model


# Sources ------------------------------------------------------------------------------------------


def test_sources_are_added_and_corrected_through_the_services(editor_client):
    data = form_data(editor_client.get(admin_url("source", "add"))) | {
        "title": "  Evening bulletin ",
        "url": "https://news.example/bulletin",
        "outlet": "Example TV",
    }
    assert editor_client.post(admin_url("source", "add"), data).status_code == 302
    source = Source.objects.get()
    assert source.title == "Evening bulletin"

    data = form_data(editor_client.get(admin_url("source", "change", source.pk)))
    data["url"] = "ftp://news.example/bulletin"
    response = editor_client.post(admin_url("source", "change", source.pk), data)
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    source.refresh_from_db()
    assert source.url == "https://news.example/bulletin"


def test_stale_source_edit_is_a_conflict_that_keeps_the_input(editor_client, editor, source):
    data = form_data(editor_client.get(admin_url("source", "change", source.pk)))
    services.source_update(
        actor=editor, source=source, expected_version=source.version, title="Corrected title"
    )
    data["title"] = "My title"
    response = editor_client.post(admin_url("source", "change", source.pk), data)

    assert response.status_code == 200
    assert "Someone else changed this source" in page_errors(response)[0]
    assert response.context["adminform"].form["title"].value() == "My title"
    source.refresh_from_db()
    assert source.title == "Corrected title"


# Evidence -----------------------------------------------------------------------------------------


def evidence_post(claim, **fields):
    return {
        "claim": claim.pk,
        "stance": Stance.SUPPORTS,
        "url": "https://evidence.example/page",
        "title": "",
        "publisher": "",
        "excerpt": "",
        "note": "",
        **fields,
    }


def test_evidence_added_in_the_admin_writes_its_event(editor_client, staff_editor, claim):
    response = editor_client.post(
        admin_url("evidence", "add"), evidence_post(claim, title="Report")
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.claim, evidence.added_by, evidence.title) == (claim, staff_editor, "Report")
    [event] = events(claim, AuditAction.EVIDENCE_ADDED)
    assert event.actor == staff_editor
    claim.refresh_from_db()
    assert (claim.supporting_count, claim.version) == (1, 2)


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "ftp://evidence.example/file.pdf"]
)
def test_evidence_with_a_non_web_url_is_refused_at_the_url_field(editor_client, claim, url):
    response = editor_client.post(admin_url("evidence", "add"), evidence_post(claim, url=url))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["url"] == ["Enter a full web address starting with http:// or https://."]
    assert form["url"].value() == url
    assert not Evidence.objects.exists()
    assert len(events(claim)) == 1


def test_duplicate_evidence_url_is_refused(editor_client, editor, claim):
    add_evidence(claim, editor, url="https://evidence.example/page")
    response = editor_client.post(
        admin_url("evidence", "add"),
        evidence_post(claim, url="https://EVIDENCE.example/page/?utm_source=x"),
    )

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["url"]
    assert "already supporting evidence" in error
    assert Evidence.objects.count() == 1
    assert len(events(claim, AuditAction.EVIDENCE_ADDED)) == 1


def test_evidence_is_retracted_with_a_reason(editor_client, staff_editor, evidence):
    url = admin_url("evidence", "change", evidence.pk)
    data = form_data(editor_client.get(url))
    assert editor_client.post(url, data).status_code == 200  # no reason: refused, nothing written
    evidence.refresh_from_db()
    assert evidence.is_standing

    data["reason"] = "The page was taken down."
    assert editor_client.post(url, data).status_code == 302
    evidence.refresh_from_db()
    assert (evidence.retracted_by, evidence.retraction_reason) == (
        staff_editor,
        "The page was taken down.",
    )
    [event] = events(evidence.claim, AuditAction.EVIDENCE_RETRACTED)
    assert event.data["reason"] == "The page was taken down."

    # Retracted evidence is a record: it can be viewed, never changed again.
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, data).status_code == 403


def test_retracting_the_link_a_verdict_rests_on_is_refused_on_the_form(
    editor_client, editor, evidence
):
    claim = evidence.claim
    services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="The report confirms it.",
    )
    url = admin_url("evidence", "change", evidence.pk)
    data = form_data(editor_client.get(url)) | {"reason": "Changed my mind."}
    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "last standing supporting link" in page_errors(response)[0]
    evidence.refresh_from_db()
    assert evidence.is_standing


def test_stale_retraction_is_a_conflict(editor_client, editor, evidence):
    url = admin_url("evidence", "change", evidence.pk)
    data = form_data(editor_client.get(url)) | {"reason": "Broken link."}
    add_evidence(evidence.claim, editor, url="https://evidence.example/another")
    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Someone else changed this claim" in page_errors(response)[0]
    assert response.context["adminform"].form["reason"].value() == "Broken link."
    evidence.refresh_from_db()
    assert evidence.is_standing


# Reviewer assignments -----------------------------------------------------------------------------


def test_assigning_a_reviewer_in_the_admin_writes_its_event(
    editor_client, staff_editor, claim, reviewer
):
    response = editor_client.post(
        admin_url("assignment", "add"),
        {"claim": claim.pk, "reviewer": reviewer.pk, "due_on": "2030-01-31"},
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.reviewer, assignment.assigned_by, assignment.due_on) == (
        reviewer,
        staff_editor,
        datetime.date(2030, 1, 31),
    )
    [event] = events(claim, AuditAction.REVIEWER_ASSIGNED)
    assert event.data["new"]["reviewer"] == "Rita Reviewer"


def test_assignment_form_offers_only_reviewers(editor_client, reviewer, viewer):
    form = editor_client.get(admin_url("assignment", "add")).context["adminform"].form
    candidates = set(form.fields["reviewer"].queryset)
    assert reviewer in candidates
    assert viewer not in candidates


def test_assigning_twice_or_a_non_reviewer_is_refused_at_the_reviewer_field(
    editor_client, assigned_claim, reviewer, viewer
):
    url = admin_url("assignment", "add")
    for person in (reviewer, viewer):
        response = editor_client.post(url, {"claim": assigned_claim.pk, "reviewer": person.pk})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["reviewer"], person
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize(
    ("action", "status", "audit_action"),
    [
        ("complete_selected", AssignmentStatus.DONE, AuditAction.REVIEWER_COMPLETED),
        ("withdraw_selected", AssignmentStatus.WITHDRAWN, AuditAction.REVIEWER_WITHDRAWN),
    ],
)
def test_closing_actions_write_events_and_report_each_row(
    editor_client, staff_editor, assigned_claim, other_reviewer, action, status, audit_action
):
    services.reviewer_assign(
        actor=staff_editor,
        claim=assigned_claim,
        expected_version=assigned_claim.version,
        reviewer=other_reviewer,
    )
    first, second = Assignment.objects.order_by("pk")
    services.reviewer_withdraw(
        actor=staff_editor,
        assignment=second,
        expected_version=Claim.objects.get(pk=assigned_claim.pk).version,
    )
    response = editor_client.post(
        admin_url("assignment", "changelist"),
        {"action": action, "_selected_action": [first.pk, second.pk]},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.closed_by) == (status, staff_editor)
    assert len(events(assigned_claim, audit_action)) == (2 if "withdraw" in action else 1)
    texts = message_texts(response)
    assert len(texts) == 2
    assert f"Assignment #{first.pk}" in texts[0]
    assert f"Assignment #{second.pk}" in texts[1]
    assert "already withdrawn" in texts[1]


def test_assignments_are_read_only_once_made(editor_client, assigned_claim):
    assignment = Assignment.objects.get()
    url = admin_url("assignment", "change", assignment.pk)
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"due_on": "2031-01-01"}).status_code == 403


# Audit events -------------------------------------------------------------------------------------


def test_audit_events_are_read_only(client, superuser, claim):
    client.force_login(superuser)
    event = AuditEvent.objects.get()
    change = admin_url("auditevent", "change", event.pk)

    assert client.get(admin_url("auditevent", "add")).status_code == 403
    assert client.post(admin_url("auditevent", "add"), {}).status_code == 403
    response = client.get(change)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert client.post(change, {"action": "claim.edited"}).status_code == 403
    assert client.get(admin_url("auditevent", "delete", event.pk)).status_code == 403
    assert (
        client.post(admin_url("auditevent", "delete", event.pk), {"post": "yes"}).status_code == 403
    )
    assert AuditEvent.objects.get() == event


def test_audit_list_shows_readable_sentences(editor_client, claim):
    response = editor_client.get(admin_url("auditevent", "changelist"))
    assert "Edna Editor created the claim." in response.content.decode()


def test_audit_detail_pretty_prints_data_escaped(editor_client, editor, source):
    claim = services.claim_create(
        actor=editor,
        text="<script>alert(1)</script>",
        claimant="X",
        appearances=[services.AppearanceInput(source, "<b>quoted</b>")],
    )
    event = AuditEvent.objects.get(claim_id=claim.pk)
    content = editor_client.get(admin_url("auditevent", "change", event.pk)).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&quot;claimant&quot;: &quot;X&quot;" in content


def test_audit_events_of_a_deleted_claim_stay_listed(editor_client, claim):
    # History outlives claims; deleting one directly here only arranges that situation.
    event = AuditEvent.objects.get()
    Appearance.objects.filter(claim=claim).delete()
    Claim.objects.filter(pk=claim.pk).delete()
    response = editor_client.get(admin_url("auditevent", "changelist"))
    assert f"#{claim.pk} (deleted)" in response.content.decode()
    assert editor_client.get(admin_url("auditevent", "change", event.pk)).status_code == 200


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999999", "-1"])
@pytest.mark.parametrize("model", ["claim", "assignment"])
def test_reviewer_filters_take_odd_values_as_no_reviewer(editor_client, claim, model, value):
    response = editor_client.get(admin_url(model, "changelist"), {"reviewer": value})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []

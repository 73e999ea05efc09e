"""The evidence links' admin: added through evidence_add, retracted with a reason, never edited."""

import pytest

from claims import services
from claims.audit.actions import AuditAction
from claims.models import (
    Evidence,
    ReviewState,
    Stance,
)
from tests.admin.helpers import (
    admin_url,
    events,
    form_data,
    page_errors,
)
from tests.conftest import add_evidence


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


def test_a_retraction_goes_through_after_someone_added_a_link(editor_client, editor, evidence):
    """A retraction conflicts with nothing another person added: whether the link may go is
    checked against the claim as it is when saved."""
    url = admin_url("evidence", "change", evidence.pk)
    data = form_data(editor_client.get(url)) | {"reason": "Broken link."}
    add_evidence(evidence.claim, editor, url="https://evidence.example/another")
    response = editor_client.post(url, data)

    assert response.status_code == 302
    evidence.refresh_from_db()
    assert not evidence.is_standing
    assert evidence.retraction_reason == "Broken link."


def test_a_link_typed_without_a_scheme_is_taken_as_https(editor_client, claim):
    response = editor_client.post(
        admin_url("evidence", "add"), evidence_post(claim, url="evidence.example/page")
    )

    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://evidence.example/page"


def test_evidence_list_names_who_added_each_link(editor_client, evidence):
    content = editor_client.get(admin_url("evidence", "changelist")).content.decode()
    assert '<td class="field-added_by_name">Edna Editor</td>' in content
    page = editor_client.get(admin_url("evidence", "change", evidence.pk)).content.decode()
    assert "Edna Editor" in page

"""The sources' admin: added and corrected through the source services."""

from claims import services
from claims.audit.actions import AuditAction
from claims.models import Source
from tests.admin.helpers import (
    admin_url,
    events,
    form_data,
    page_errors,
)


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


def test_an_address_typed_without_a_scheme_is_taken_as_https(editor_client):
    data = form_data(editor_client.get(admin_url("source", "add"))) | {
        "title": "Evening bulletin",
        "url": "news.example/bulletin",
    }
    assert editor_client.post(admin_url("source", "add"), data).status_code == 302
    assert Source.objects.get().url == "https://news.example/bulletin"


def test_a_source_is_corrected_by_submitting_the_change_form_the_page_renders(
    editor_client, staff_editor, claim, source
):
    page = editor_client.get(admin_url("source", "change", source.pk))
    data = form_data(page)  # the inputs the page rendered, parsed from its HTML
    assert data["expected_version"] == str(source.version)
    data["title"] = "Evening bulletin, corrected"
    response = editor_client.post(admin_url("source", "change", source.pk), data)

    assert response.status_code == 302, page_errors(response)
    source.refresh_from_db()
    assert (source.title, source.version) == ("Evening bulletin, corrected", 2)
    [event] = events(claim, AuditAction.SOURCE_EDITED)
    assert event.actor == staff_editor
    assert event.data["new"]["title"] == "Evening bulletin, corrected"

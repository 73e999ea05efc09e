"""The desk's source pages: editors add and correct sources; a correction is audited on every
claim citing the source, and a stale edit is shown beside the current source, never lost."""

import pytest
from django.urls import reverse

from claims import services
from claims.audit.actions import AuditAction
from claims.models import AuditEvent, Source


def edit_url(source, next_url=""):
    url = reverse("claims:source_edit", args=[source.pk])
    return f"{url}?next={next_url}" if next_url else url


def form_data(source, **changes):
    data = {
        "title": source.title,
        "url": source.url,
        "outlet": source.outlet,
        "author": source.author,
        "published_on": source.published_on.isoformat() if source.published_on else "",
        "text": source.text,
        "expected_version": source.version,
    }
    return {**data, **changes}


def test_the_claim_page_links_editors_to_the_source_edit_page(client, editor, claim, source):
    client.force_login(editor)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert reverse("claims:source_edit", args=[source.pk]) in page


def test_reviewers_and_viewers_get_no_edit_link_and_no_page(
    client, assigned_claim, reviewer, viewer
):
    source = assigned_claim.appearances.get().source
    for user in (reviewer, viewer):
        client.force_login(user)
        page = client.get(assigned_claim.get_absolute_url()).content.decode()
        assert reverse("claims:source_edit", args=[source.pk]) not in page
        assert client.get(edit_url(source)).status_code == 403
        response = client.post(edit_url(source), form_data(source, title="Mine now"))
        assert response.status_code == 403
    assert Source.objects.get(pk=source.pk).title == source.title


def test_the_rendered_form_saves_and_every_citing_claim_records_it(client, editor, claim, source):
    client.force_login(editor)
    page = client.get(edit_url(source, claim.get_absolute_url()))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["expected_version"].value() == source.version
    assert f'name="expected_version" value="{source.version}"' in page.content.decode()

    response = client.post(
        edit_url(source),
        form_data(source, title="Corrected headline", next=claim.get_absolute_url()),
    )
    assert response.status_code == 302
    assert response["Location"] == claim.get_absolute_url()
    source.refresh_from_db()
    assert source.title == "Corrected headline"
    event = AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence").last()
    assert event.action == AuditAction.SOURCE_EDITED
    assert event.data["new"] == {"title": "Corrected headline"}


def test_a_stale_edit_shows_both_versions_and_keeps_the_input(client, editor, source):
    seen = source.version
    services.source_update(
        actor=editor, source=source, expected_version=seen, title="Someone else's headline"
    )
    client.force_login(editor)
    response = client.post(
        edit_url(source), form_data(source, title="My headline", expected_version=seen)
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this source" in content
    assert "Someone else&#x27;s headline" in content or "Someone else's headline" in content
    assert 'value="My headline"' in content
    assert response.context["form"].data["expected_version"] == str(seen + 1)
    assert Source.objects.get(pk=source.pk).title == "Someone else's headline"


@pytest.mark.parametrize("version", ["", "²", "abc", "9" * 30, "0"])
def test_a_missing_or_tampered_version_is_refused_with_the_input_kept(
    client, editor, source, version
):
    client.force_login(editor)
    response = client.post(
        edit_url(source), form_data(source, title="Typed", expected_version=version)
    )
    assert response.status_code == 422
    assert 'value="Typed"' in response.content.decode()
    assert response.context["form"].errors["expected_version"] == [
        "The form did not say which version of the source you saw. Reload the page."
    ]
    assert Source.objects.get(pk=source.pk).title != "Typed"


def test_a_bad_address_is_refused_at_the_field(client, editor, source):
    client.force_login(editor)
    response = client.post(edit_url(source), form_data(source, url="javascript:alert(1)"))
    assert response.status_code == 422
    assert response.context["form"].errors["url"]

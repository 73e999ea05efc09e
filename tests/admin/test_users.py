"""The user admin's reviewer autocomplete, which the assignment form uses."""

from django.urls import reverse

from tests.admin.helpers import (
    admin_url,
)


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

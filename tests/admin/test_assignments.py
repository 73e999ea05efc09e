"""The reviewer assignments' admin: assigned through the service, closed by its actions."""

import datetime

import pytest

from claims import services
from claims.audit.actions import AuditAction
from claims.models import (
    Assignment,
    AssignmentStatus,
)
from tests.admin.helpers import (
    admin_url,
    events,
    message_texts,
)


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
        reviewer=other_reviewer,
    )
    first, second = Assignment.objects.order_by("pk")
    services.reviewer_withdraw(
        actor=staff_editor,
        assignment=second,
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


def test_assignments_name_people_as_the_desk_does(editor_client, assigned_claim):
    content = editor_client.get(admin_url("assignment", "changelist")).content.decode()
    assert '<td class="field-reviewer_name">Rita Reviewer</td>' in content
    assert '<td class="field-assigned_by_name">Edna Editor</td>' in content
    assignment = Assignment.objects.get()
    page = editor_client.get(admin_url("assignment", "change", assignment.pk)).content.decode()
    assert "Rita Reviewer" in page

    response = editor_client.post(
        admin_url("assignment", "changelist"),
        {"action": "complete_selected", "_selected_action": [assignment.pk]},
    )
    [text] = message_texts(response)
    assert f"Assignment #{assignment.pk} (Rita Reviewer on claim {assigned_claim.pk})" in text

"""The audit trail's admin: readable, and read-only."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.audit.actions import AuditAction
from claims.models import (
    Appearance,
    AuditEvent,
    Claim,
)
from tests.admin.helpers import (
    admin_url,
)


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


def test_the_trail_is_filtered_by_action_with_djangos_own_filter(editor_client, evidence):
    url = admin_url("auditevent", "changelist")
    response = editor_client.get(url)
    [action_filter] = [
        spec for spec in response.context["cl"].filter_specs if spec.title == "action"
    ]
    offered = [choice["display"] for choice in action_filter.choices(response.context["cl"])]
    assert offered == ["All", *(label for _value, label in AuditAction.choices)]

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url, {"action__exact": AuditAction.EVIDENCE_ADDED})
    listed = response.context["cl"].result_list
    assert [event.action for event in listed] == [AuditAction.EVIDENCE_ADDED]
    # The choices are the model field's: listing them asks the database nothing.
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
    assert editor_client.get(url, {"action__exact": "no.such_action"}).status_code == 200

"""The audit trail's admin: readable, and read-only."""

from claims import services
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

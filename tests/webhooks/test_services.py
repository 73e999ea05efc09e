"""The webhook services: editors only, errors keyed by field, a secret in the specification's
form, and no claim history written for what is desk configuration."""

import base64

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import AuditEvent, DeliveryStatus, WebhookEndpoint, WebhookEventType
from claims.permissions import can_manage_webhooks
from claims.webhooks import selectors
from claims.webhooks import services as webhook_services
from tests.conftest import make_claim
from tests.webhooks.conftest import register


def test_only_editors_manage_webhooks(editor, superuser, reviewer, viewer):
    assert can_manage_webhooks(editor)
    assert can_manage_webhooks(superuser)
    assert not can_manage_webhooks(reviewer)
    assert not can_manage_webhooks(viewer)
    editor.is_active = False
    assert not can_manage_webhooks(editor)


def test_creating_gives_a_secret_shown_once_in_the_specifications_form(editor, receiver):
    endpoint, secret = register(editor, receiver.url, ["verdict.published", "claim.created"], "CMS")
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24
    assert endpoint.secret == secret
    assert endpoint.owner == editor
    assert endpoint.is_active
    assert endpoint.event_types == ["claim.created", "verdict.published"]  # the table's order
    assert endpoint.description == "CMS"
    assert not AuditEvent.objects.exists()  # desk configuration: no claim's history
    _again, other = register(editor, receiver.url)
    assert other != secret


@pytest.mark.parametrize("who", ["reviewer", "viewer"])
def test_everyone_else_is_refused_every_write(request, who, editor, receiver, endpoint):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        webhook_services.webhook_endpoint_create(
            user, url=receiver.url, event_types=["claim.created"]
        )
    with pytest.raises(PermissionDenied):
        webhook_services.webhook_endpoint_update(user, endpoint, is_active=False)
    with pytest.raises(PermissionDenied):
        webhook_services.webhook_endpoint_rotate_secret(user, endpoint)
    with pytest.raises(PermissionDenied):
        webhook_services.webhook_endpoint_delete(user, endpoint)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).is_active


def test_errors_name_every_field_that_is_wrong(editor):
    with pytest.raises(ValidationError) as refused:
        webhook_services.webhook_endpoint_create(
            editor, url="", event_types=["claim.deleted"], description="x" * 301
        )
    assert set(refused.value.message_dict) == {"url", "event_types", "description"}
    assert "claim.deleted" in refused.value.message_dict["event_types"][0]
    with pytest.raises(ValidationError) as refused:
        webhook_services.webhook_endpoint_create(editor, url="https://x.test/", event_types=[])
    assert "at least one" in refused.value.message_dict["event_types"][0]
    assert not WebhookEndpoint.objects.exists()


def test_updating_changes_only_what_is_given(editor, endpoint, receiver):
    webhook_services.webhook_endpoint_update(
        editor, endpoint, event_types=[WebhookEventType.ASSIGNMENT_MADE], description="Tipline"
    )
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["assignment.made"]
    assert endpoint.description == "Tipline"
    assert endpoint.url == receiver.url


def test_turning_off_records_who_and_on_clears_it(editor, endpoint):
    webhook_services.webhook_endpoint_update(editor, endpoint, is_active=False)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert "Edna Editor" in endpoint.disabled_reason
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=endpoint.disabled_at)
    webhook_services.webhook_endpoint_update(editor, endpoint, is_active=True)
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert (endpoint.disabled_at, endpoint.disabled_reason, endpoint.failing_since) == (
        None,
        "",
        None,
    )


def test_deleting_takes_the_log_but_not_the_history(
    editor, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    assert endpoint.deliveries.count() == 1
    webhook_services.webhook_endpoint_delete(editor, endpoint)
    assert not WebhookEndpoint.objects.exists()
    assert AuditEvent.objects.count() == 1


def test_redelivery_is_refused_while_the_endpoint_is_off_and_for_others(
    editor, reviewer, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    delivery = endpoint.deliveries.get()
    with pytest.raises(PermissionDenied):
        webhook_services.webhook_delivery_redeliver(reviewer, delivery)
    webhook_services.webhook_endpoint_update(editor, endpoint, is_active=False)
    with pytest.raises(ValidationError):
        webhook_services.webhook_delivery_redeliver(editor, delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_the_list_shows_each_endpoints_last_delivery_in_a_fixed_number_of_queries(
    editor, receiver, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for _number in range(3):
        register(editor, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    with django_assert_num_queries(1):
        endpoints = list(selectors.webhook_endpoints())
    assert [e.last_status for e in endpoints] == [DeliveryStatus.DELIVERED] * 3

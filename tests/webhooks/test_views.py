"""The webhook pages: editors add, change and redeliver; reviewers, viewers and anonymous
visitors get none of them, by GET or POST; forms keep what was typed; a secret shows once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from claims.webhooks.tasks import DELIVERY_ATTEMPTS
from tests.conftest import login, make_claim
from tests.webhooks.conftest import register

LIST = reverse("claims:webhooks")


def pages(endpoint, delivery_id=1) -> list[tuple[str, str]]:
    """Every webhook page and form target, with its method."""
    pk = endpoint.pk
    return [
        ("get", LIST),
        ("post", LIST),
        ("get", reverse("claims:webhook_detail", args=[pk])),
        ("post", reverse("claims:webhook_detail", args=[pk])),
        ("post", reverse("claims:webhook_switch", args=[pk])),
        ("post", reverse("claims:webhook_rotate", args=[pk])),
        ("post", reverse("claims:webhook_delete", args=[pk])),
        ("post", reverse("claims:webhook_redeliver", args=[pk, delivery_id])),
    ]


def checked_types(page: str) -> set[str]:
    """The event types whose checkbox the page shows ticked."""
    boxes = re.findall(r'<input type="checkbox" name="event_types"[^>]*>', page)
    return {re.search(r'value="([^"]+)"', box)[1] for box in boxes if " checked" in box}


def delivered(endpoint, editor, django_capture_on_commit_callbacks) -> WebhookDelivery:
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    return WebhookDelivery.objects.get(endpoint=endpoint)


@pytest.mark.parametrize("who", ["reviewer", "viewer"])
def test_no_one_but_editors_gets_a_page_or_a_post(
    client, request, who, editor, endpoint, django_capture_on_commit_callbacks
):
    delivery = delivered(endpoint, editor, django_capture_on_commit_callbacks)
    login(client, request.getfixturevalue(who))
    for method, url in pages(endpoint, delivery.pk):
        data = {"url": "https://x.test/", "event_types": ["claim.created"], "active": "off"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 403, (method, url)
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert WebhookEndpoint.objects.count() == 1
    assert WebhookDelivery.objects.get().attempts == 1


def test_anonymous_visitors_are_sent_to_log_in(client, endpoint):
    for method, url in pages(endpoint):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("login"))
    assert WebhookEndpoint.objects.get().is_active


def test_the_header_links_to_webhooks_for_editors_only(client, editor, reviewer):
    link = f'href="{LIST}"'
    assert link in login(client, editor).get(reverse("claims:list")).content.decode()
    assert link not in login(client, reviewer).get(reverse("claims:list")).content.decode()


def test_an_editor_adds_an_endpoint_and_sees_its_secret_once(client, editor, receiver):
    login(client, editor)
    response = client.post(
        LIST,
        {
            "url": receiver.url,
            "description": "CMS",
            "event_types": ["verdict.published", "correction.published"],
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response.url == endpoint.get_absolute_url()
    assert endpoint.event_types == ["verdict.published", "correction.published"]
    page = client.get(response.url).content.decode()
    assert f'value="{endpoint.secret}"' in page
    assert "shown this once" in page
    assert endpoint.secret not in client.get(response.url).content.decode()  # reloaded
    listing = client.get(LIST).content.decode()
    assert receiver.url in listing
    assert endpoint.secret not in listing


def test_the_form_keeps_what_was_typed_when_refused(client, editor, settings):
    settings.FACTCHECK_WEBHOOK_ALLOW_PRIVATE = False
    login(client, editor)
    response = client.post(
        LIST,
        {
            "url": "http://127.0.0.1:9000/hook",
            "description": "Intranet <b>CMS</b>",
            "event_types": ["claim.edited", "assignment.closed"],
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "loopback" in page
    assert 'value="http://127.0.0.1:9000/hook"' in page
    assert 'value="Intranet &lt;b&gt;CMS&lt;/b&gt;"' in page
    assert checked_types(page) == {"claim.edited", "assignment.closed"}
    assert not WebhookEndpoint.objects.exists()


def test_no_event_type_is_an_error_at_the_checkboxes(client, editor, receiver):
    response = login(client, editor).post(LIST, {"url": receiver.url})
    assert response.status_code == 422
    assert "Choose at least one event type." in response.content.decode()


def test_an_editor_changes_switches_rotates_and_deletes(client, editor, endpoint, receiver):
    login(client, editor)
    detail = endpoint.get_absolute_url()
    response = client.post(
        detail, {"url": receiver.url, "description": "Renamed", "event_types": ["claim.edited"]}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.description, endpoint.event_types) == ("Renamed", ["claim.edited"])
    assert checked_types(client.get(detail).content.decode()) == {"claim.edited"}

    client.post(reverse("claims:webhook_switch", args=[endpoint.pk]), {"active": "off"})
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "Turned off by Edna Editor" in client.get(detail).content.decode()
    client.post(reverse("claims:webhook_switch", args=[endpoint.pk]), {"active": "on"})
    endpoint.refresh_from_db()
    assert endpoint.is_active

    old = endpoint.secret
    response = client.post(reverse("claims:webhook_rotate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert f'value="{endpoint.secret}"' in client.get(response.url).content.decode()

    response = client.post(reverse("claims:webhook_delete", args=[endpoint.pk]))
    assert response.url == LIST
    assert not WebhookEndpoint.objects.exists()
    assert client.get(detail).status_code == 404


def test_the_log_shows_a_failure_and_redeliver_sends_it_again(
    client, editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500] * DELIVERY_ATTEMPTS
    delivery = delivered(endpoint, editor, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    login(client, editor)
    page = client.get(endpoint.get_absolute_url()).content.decode()
    assert "HTTP 500" in page
    assert "receiver says no" in page
    redeliver = reverse("claims:webhook_redeliver", args=[endpoint.pk, delivery.pk])
    assert f'action="{redeliver}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(redeliver)
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == DELIVERY_ATTEMPTS + 1
    assert "Delivery sent again." in client.get(response.url).content.decode()


def test_redeliver_needs_the_csrf_token(editor, endpoint, django_capture_on_commit_callbacks):
    delivery = delivered(endpoint, editor, django_capture_on_commit_callbacks)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    url = reverse("claims:webhook_redeliver", args=[endpoint.pk, delivery.pk])
    assert strict.post(url).status_code == 403
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_another_endpoints_delivery_is_not_found(
    client, editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    other, _secret = register(editor, receiver.url)
    delivery = delivered(endpoint, editor, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    url = reverse("claims:webhook_redeliver", args=[other.pk, delivery.pk])
    assert login(client, editor).post(url).status_code == 404
    assert client.get(reverse("claims:webhook_detail", args=[999999])).status_code == 404


def test_the_log_is_paginated_and_escapes_what_receivers_answer(
    client, editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    delivery = delivered(endpoint, editor, django_capture_on_commit_callbacks)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        response_excerpt="<script>alert(1)</script>"
    )
    for number in range(30):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=10_000 + number,
            event_type="claim.created",
            payload={},
            created_at=delivery.created_at,
        )
    login(client, editor)
    first = client.get(endpoint.get_absolute_url()).content.decode()
    assert first.count('id="delivery-') == 25
    assert "Page 1 of 2" in first
    second = client.get(endpoint.get_absolute_url() + "?page=2").content.decode()
    assert second.count('id="delivery-') == 6
    assert "<script>alert(1)</script>" not in second
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in second


def test_pages_carry_no_inline_script_or_style(client, editor, endpoint):
    login(client, editor)
    for url in (LIST, endpoint.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<script>" not in page
        assert " style=" not in page
        assert "<style" not in page

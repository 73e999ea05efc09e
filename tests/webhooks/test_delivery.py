"""Delivery: what a receiver really gets (signed as Standard Webhooks says, checked with the
``standardwebhooks`` library a receiver would use), retries until a 2xx, every try recorded,
and an endpoint that fails for a day turned off and its owner told."""

import datetime
import json
import socket

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from claims import clock
from claims.models import DeliveryStatus, Stance, WebhookDelivery, WebhookEndpoint
from claims.webhooks import services as webhook_services
from claims.webhooks.delivery import new_secret, signature
from claims.webhooks.tasks import DELIVERY_ATTEMPTS
from tests.conftest import add_evidence, detail_url, make_claim

pytestmark = pytest.mark.usefixtures("desk_address")


def test_the_receiver_gets_a_signed_message_it_can_verify(
    editor, endpoint_and_secret, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_and_secret
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(editor, text="The bridge opened in 1999.")
    (request,) = receiver.received
    assert request.path == "/hooks/factcheck"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("factcheck-webhooks/")
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert request.headers["webhook-id"] == delivery.message_id
    assert abs(int(request.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60

    payload = Webhook(secret).verify(request.body, request.headers)
    event = claim.audit_events.get()
    assert payload == {
        "type": "claim.created",
        "timestamp": event.created_at.isoformat(),
        "data": {
            "claim_id": claim.pk,
            "claim_version": claim.version,
            "event_id": event.pk,
            "event_sequence": 1,
            "action": "claim.created",
            "state": "unverified",
            "url": "https://desk.example.org" + detail_url(claim),
        },
    }
    assert b" " not in request.body  # compact JSON
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 1
    assert delivery.response_status == 200


def test_a_signature_under_another_secret_or_a_changed_body_fails_verification(
    editor, endpoint_and_secret, receiver, django_capture_on_commit_callbacks
):
    _endpoint, secret = endpoint_and_secret
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    (request,) = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(request.body.replace(b"unverified", b"disputed"), request.headers)


def test_the_signature_matches_the_specifications_example():
    # The example of https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert (
        signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_receiver_failing_twice_then_succeeding_gets_it_on_the_third_try(
    client, editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    assert len(receiver.received) == 3
    assert len({request.headers["webhook-id"] for request in receiver.received}) == 1
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    assert delivery.response_status == 200
    assert delivery.last_attempt_at is not None
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None  # the success cleared it

    client.force_login(editor)
    log = client.get(endpoint.get_absolute_url()).content.decode()
    row = log[log.index(f'id="delivery-{delivery.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Delivered" in row
    assert '<td data-label="Tries">3</td>' in row
    assert "HTTP 200" in row


def test_a_receiver_that_never_accepts_is_tried_to_the_last_attempt_then_failed(
    editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [422] * 50
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    assert len(receiver.received) == DELIVERY_ATTEMPTS
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == DELIVERY_ATTEMPTS
    assert delivery.response_status == 422
    assert delivery.response_excerpt == "receiver says no"
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None
    assert endpoint.is_active  # failing, but not for a day yet


def test_a_refused_connection_is_recorded_as_the_error(editor, django_capture_on_commit_callbacks):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    endpoint, _secret = webhook_services.webhook_endpoint_create(
        editor, url=f"http://127.0.0.1:{port}/", event_types=["claim.created"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == DELIVERY_ATTEMPTS
    assert delivery.response_status is None
    assert "NewConnectionError" in delivery.response_excerpt
    assert "refused" in delivery.response_excerpt.lower()


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [302] + [200] * 5
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.attempts == 2  # the 302 was a failed try, the retry got its 200
    assert [request.path for request in receiver.received] == ["/hooks/factcheck"] * 2


def test_a_day_of_failures_turns_the_endpoint_off_and_mails_its_owner(
    editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    claim = make_claim(editor)
    receiver.answers = [500] * 100
    start = timezone.now()
    with clock.replaying(start), django_capture_on_commit_callbacks(execute=True):
        add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/1")
    endpoint.refresh_from_db()
    assert endpoint.failing_since == start
    assert endpoint.is_active
    assert mail.outbox == []

    tried = len(receiver.received)
    later = start + datetime.timedelta(hours=24, minutes=1)
    with clock.replaying(later), django_capture_on_commit_callbacks(execute=True):
        add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/2")
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at == later
    assert "24 hours" in endpoint.disabled_reason
    assert len(receiver.received) == tried + 1  # nothing more after it was turned off
    newest = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-id").first()
    assert newest.status == DeliveryStatus.FAILED
    (sent,) = mail.outbox
    assert sent.to == ["edna@example.org"]
    assert endpoint.url in sent.subject
    assert f"https://desk.example.org/webhooks/{endpoint.pk}/" in sent.body

    with django_capture_on_commit_callbacks(execute=True):
        add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/3")
    assert len(receiver.received) == tried + 1  # an endpoint that is off gets nothing


def test_a_success_within_the_day_clears_the_failing_mark(
    editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    claim = make_claim(editor)
    receiver.answers = [500] * DELIVERY_ATTEMPTS
    start = timezone.now()
    with clock.replaying(start), django_capture_on_commit_callbacks(execute=True):
        add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/1")
    with (
        clock.replaying(start + datetime.timedelta(hours=20)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/2")
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None
    receiver.answers = [500] * DELIVERY_ATTEMPTS
    with (
        clock.replaying(start + datetime.timedelta(hours=25)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/3")
    endpoint.refresh_from_db()
    assert endpoint.is_active  # failing since 25 h, not for a day
    assert endpoint.failing_since == start + datetime.timedelta(hours=25)


def test_redelivery_sends_the_same_message_again(
    editor, endpoint_and_secret, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_and_secret
    receiver.answers = [500] * DELIVERY_ATTEMPTS
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        webhook_services.webhook_delivery_redeliver(editor, delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == DELIVERY_ATTEMPTS + 1
    last = receiver.received[-1]
    assert last.headers["webhook-id"] == delivery.message_id
    assert Webhook(secret).verify(last.body, last.headers)["type"] == "claim.created"


def test_after_rotation_messages_are_signed_with_the_new_secret(
    editor, endpoint_and_secret, receiver, django_capture_on_commit_callbacks
):
    endpoint, old = endpoint_and_secret
    _endpoint, new = webhook_services.webhook_endpoint_rotate_secret(editor, endpoint)
    assert new != old
    assert new.startswith("whsec_")
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor)
    (request,) = receiver.received
    Webhook(new).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(request.body, request.headers)


def test_an_endpoint_turned_off_while_retrying_stops_being_tried(
    editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500] * 50

    def turn_off_after_two(*args, **kwargs):
        if len(receiver.received) == 2:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                is_active=False, disabled_at=timezone.now()
            )

    from claims.webhooks import delivery as delivery_module

    real_attempt = delivery_module.attempt

    def attempt_then_maybe_off(pending):
        outcome = real_attempt(pending)
        turn_off_after_two()
        return outcome

    delivery_module.attempt = attempt_then_maybe_off
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_claim(editor)
    finally:
        delivery_module.attempt = real_attempt
    assert len(receiver.received) == 2
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED
    assert "disabled" in delivery.response_excerpt


def test_the_body_is_the_stored_payload(
    editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(editor, text="Ünïcode “quotes”")
    (request,) = receiver.received
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert json.loads(request.body) == delivery.payload

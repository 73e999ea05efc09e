"""Webhook endpoints through the API: an editor registers one and gets its secret once, the
desk's next event reaches the receiver signed with it, the log shows the delivery and a
redelivery, and everyone else is refused every call."""

import json

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from claims.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEventType
from tests.factories import ClaimFactory
from tests.webhooks.conftest import Receiver

from .conftest import claim_url, token_client

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks/"


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def edit(django_capture_on_commit_callbacks):
    """Edit the claim's claimant through the API, running what waits for the commit (the
    deliveries), as the request's own transaction would."""

    def edit(api, claim, claimant):
        claim.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            response = api.patch(
                claim_url(claim),
                {"claimant": claimant},
                format="json",
                HTTP_IF_MATCH=f'"claim-{claim.pk}-v{claim.version}"',
            )
        assert response.status_code == 200, response.content
        return response

    return edit


def register(api, url, event_types=("claim.edited",), **extra):
    return api.post(
        WEBHOOKS, {"url": url, "event_types": list(event_types), **extra}, format="json"
    )


def test_an_editor_registers_an_endpoint_and_sees_its_secret_once(editor_api, receiver):
    response = register(editor_api, receiver.url, description="CMS: verdicts")
    assert response.status_code == 201
    made = response.json()
    assert made["secret"].startswith("whsec_")
    assert made["url"] == receiver.url
    assert made["event_types"] == ["claim.edited"]
    assert made["active"] is True
    assert made["owner"]["username"] == "edna"
    assert response["Location"] == f"{WEBHOOKS}{made['id']}/"

    shown = editor_api.get(response["Location"]).json()
    listed = editor_api.get(WEBHOOKS).json()["results"]
    assert "secret" not in shown
    assert [row["id"] for row in listed] == [made["id"]]
    assert "secret" not in listed[0]
    assert WebhookEndpoint.objects.get().secret == made["secret"]


def test_the_next_event_arrives_signed_with_that_secret_and_is_logged(
    editor, editor_api, receiver, edit
):
    secret = register(editor_api, receiver.url).json()["secret"]
    endpoint = WebhookEndpoint.objects.get()
    claim = ClaimFactory(created_by=editor, claimant="Mayor")

    edit(editor_api, claim, "The mayor's office")

    [request] = receiver.received
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "claim.edited"
    assert payload["data"]["claim_id"] == claim.pk
    assert payload["data"]["claim_version"] == claim.version + 1
    log = editor_api.get(f"{WEBHOOKS}{endpoint.pk}/deliveries/").json()["results"]
    assert [(row["event_type"], row["status"], row["attempts"]) for row in log] == [
        ("claim.edited", DeliveryStatus.DELIVERED, 1)
    ]
    assert log[0]["message_id"] == request.headers["webhook-id"]
    assert log[0]["response_status"] == 200


def test_a_failed_delivery_is_redelivered_as_the_same_message(
    editor, editor_api, receiver, edit, django_capture_on_commit_callbacks
):
    register(editor_api, receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    claim = ClaimFactory(created_by=editor)
    receiver.answers = [500] * 20  # every retry the immediate backend makes fails too
    edit(editor_api, claim, "Someone else")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status != DeliveryStatus.DELIVERED
    tried = delivery.attempts
    receiver.answers = []

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.post(f"{WEBHOOKS}{endpoint.pk}/deliveries/{delivery.pk}/redeliver/")

    assert response.status_code == 202
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == tried + 1
    ids = {request.headers["webhook-id"] for request in receiver.received}
    assert ids == {delivery.message_id}


def test_rotating_gives_a_new_secret_and_the_old_one_verifies_nothing(
    editor, editor_api, receiver, edit
):
    old = register(editor_api, receiver.url).json()
    rotated = editor_api.post(f"{WEBHOOKS}{old['id']}/rotate-secret/")
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret != old["secret"]

    claim = ClaimFactory(created_by=editor)
    edit(editor_api, claim, "Another")
    [request] = receiver.received
    Webhook(new_secret).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old["secret"]).verify(request.body, request.headers)


def test_patch_changes_what_it_names_and_turns_the_endpoint_off_and_on(editor_api, receiver):
    made = register(editor_api, receiver.url, description="Before").json()
    url = f"{WEBHOOKS}{made['id']}/"

    off = editor_api.patch(url, {"active": False, "description": "After"}, format="json")
    assert off.status_code == 200
    assert off.json()["active"] is False
    assert off.json()["description"] == "After"
    assert off.json()["event_types"] == ["claim.edited"]
    assert off.json()["disabled_reason"] == "Turned off by Edna Editor."

    on = editor_api.patch(url, {"active": True}, format="json").json()
    assert (on["active"], on["disabled_at"], on["disabled_reason"]) == (True, None, "")


def test_deleting_an_endpoint_answers_204_and_it_is_gone(editor_api, receiver):
    made = register(editor_api, receiver.url).json()
    assert editor_api.delete(f"{WEBHOOKS}{made['id']}/").status_code == 204
    gone = editor_api.get(f"{WEBHOOKS}{made['id']}/")
    assert gone.status_code == 404
    assert gone["Content-Type"] == "application/problem+json"


def test_bad_input_is_a_problem_naming_each_field(editor_api):
    response = editor_api.post(
        WEBHOOKS, {"url": "ftp://cms.example.org/", "event_types": ["claim.eaten"]}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors == {"event_types.0": ['"claim.eaten" is not a valid choice.']}
    assert not WebhookEndpoint.objects.exists()

    response = editor_api.post(
        WEBHOOKS, {"url": "ftp://cms.example.org/", "event_types": ["claim.edited"]}, format="json"
    )
    assert response.status_code == 400
    only_web = "Only http:// and https:// addresses can be used."
    assert response.json()["errors"] == {"url": [only_web]}


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://192.168.0.10/hook",
    ],
)
def test_an_address_inside_the_desks_network_is_refused(editor_api, settings, address):
    settings.FACTCHECK_WEBHOOK_ALLOW_PRIVATE = False
    response = register(editor_api, address)
    assert response.status_code == 400
    assert "refused" in response.json()["errors"]["url"][0]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "viewer", "read_only"])
def test_everyone_but_an_editor_is_refused_every_call(request, who, editor, receiver):
    from claims.webhooks import services

    endpoint, _secret = services.webhook_endpoint_create(
        editor, url=receiver.url, event_types=[WebhookEventType.CLAIM_EDITED]
    )
    if who == "read_only":
        api = token_client(editor, read_only=True)
    else:
        api = token_client(request.getfixturevalue(who))
    one = f"{WEBHOOKS}{endpoint.pk}/"
    calls = [
        api.get(WEBHOOKS),
        register(api, receiver.url),
        api.get(one),
        api.patch(one, {"active": False}, format="json"),
        api.post(f"{one}rotate-secret/"),
        api.get(f"{one}deliveries/"),
        api.delete(one),
    ]
    assert [call.status_code for call in calls] == [403] * len(calls)
    assert all(call["Content-Type"] == "application/problem+json" for call in calls)
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert WebhookEndpoint.objects.count() == 1
    assert receiver.received == []


def test_the_schema_documents_the_webhook_operations(editor_api):
    paths = json.loads(editor_api.get("/api/schema/?format=json").content)["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/webhooks/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/webhooks/{id}/"])
    assert "post" in paths["/api/v1/webhooks/{endpoint_id}/deliveries/{id}/redeliver/"]

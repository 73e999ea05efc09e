"""Sending one delivery as the Standard Webhooks specification says, and what the answer means
for its endpoint: a success clears the endpoint's failing mark, a day of failures disables it.

Signed by hand (an HMAC in a few lines, https://www.standardwebhooks.com): the
``standardwebhooks`` package is only a receiver's, and the tests verify with it.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import urllib3
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from claims import clock, netguard
from claims.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = 32
TIMEOUT_SECONDS = 10
FAILING_LIMIT = timedelta(hours=24)
EXCERPT_LENGTH = 500  # of the answer or the error, in the delivery log
USER_AGENT = "factcheck-webhooks/1.0"


def new_secret() -> str:
    """A signing secret in the specification's form: ``whsec_`` and base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,`` and the base64 HMAC-SHA256 of ``{id}.{timestamp}.{body}`` under the secret."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            delivery.endpoint.secret, delivery.message_id, timestamp, body
        ),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status: int | None
    excerpt: str
    disabled_endpoint: bool = False


def attempt(delivery: WebhookDelivery) -> Outcome:
    """Send ``delivery`` once and record the try on it and on its endpoint."""
    outcome = _send(delivery)
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=F("attempts") + 1,
            last_attempt_at=clock.now(),
            response_status=outcome.status,
            response_excerpt=outcome.excerpt[:EXCERPT_LENGTH],
            status=DeliveryStatus.DELIVERED if outcome.delivered else DeliveryStatus.PENDING,
        )
        if outcome.delivered:
            WebhookEndpoint.objects.filter(
                pk=delivery.endpoint_id, failing_since__isnull=False
            ).update(failing_since=None)
            return outcome
        disabled = _note_failure(delivery.endpoint_id, outcome)
    return Outcome(outcome.delivered, outcome.status, outcome.excerpt, disabled)


def _send(delivery: WebhookDelivery) -> Outcome:
    body = body_of(delivery.payload)
    # The wall clock, not the desk's replayable one: receivers compare it with theirs.
    headers = signed_headers(delivery, body, int(time.time()))
    try:
        target = netguard.vet(
            delivery.endpoint.url, allow_private=settings.FACTCHECK_WEBHOOK_ALLOW_PRIVATE
        )
        answer = netguard.post(target, body=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except netguard.AddressRefused as error:
        return Outcome(False, None, str(error))
    except (urllib3.exceptions.HTTPError, OSError) as error:
        return Outcome(False, None, f"{type(error).__name__}: {error}")
    return Outcome(200 <= answer.status < 300, answer.status, answer.excerpt)


def _note_failure(endpoint_id: int, outcome: Outcome) -> bool:
    """Mark the endpoint failing from now, unless it already is; disable it once it has failed
    for FAILING_LIMIT. True when this failure disabled it (once: the UPDATE is conditional)."""
    now = clock.now()
    WebhookEndpoint.objects.filter(pk=endpoint_id, failing_since__isnull=True).update(
        failing_since=now
    )
    last = f"{outcome.status}" if outcome.status else outcome.excerpt[:200]
    reason = _(
        "Every delivery failed for %(hours)d hours, so the desk stopped sending. Last answer: "
        "%(last)s"
    ) % {"hours": FAILING_LIMIT.total_seconds() // 3600, "last": last}
    return bool(
        WebhookEndpoint.objects.filter(
            pk=endpoint_id, is_active=True, failing_since__lte=now - FAILING_LIMIT
        ).update(is_active=False, disabled_at=now, disabled_reason=reason, updated_at=now)
    )

"""The webhook tasks, run by the worker after the write that caused them committed.

``dispatch_event`` (and ``dispatch_imported`` for an import's batch) writes an event's
deliveries and enqueues ``deliver`` for each; ``deliver`` sends one, and is retried with
exponential backoff (``claims.background.retry.retrying``) from a minute to about four hours
apart, so the tries span about eight and a half hours; after the last one the delivery is
failed, and the log's Redeliver button sends it again. Nothing here can block or roll back
the write.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from claims.background.enqueue import enqueue_on_commit
from claims.background.retry import retrying
from claims.models import AuditEvent, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from claims.notifications.email import desk_mail, site_url

from . import delivery
from .dispatch import Recorded, create_deliveries, imported_events

logger = logging.getLogger("factcheck.webhooks")

DELIVERY_ATTEMPTS = 10  # 1 + 2 + 4 + ... + 256 minutes: the last try 8.5 hours after the first
FIRST_RETRY = timedelta(minutes=1)
MAIL_ATTEMPTS = 5


class DeliveryFailed(Exception):
    """A try that did not get a 2xx: raised so that ``retrying`` tries again later."""


def _enqueue_deliveries(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        enqueue_on_commit(deliver, delivery_id)


@task()
def dispatch_event(event_id: int, claim_version: int, state: str) -> int:
    """Write one event's deliveries and enqueue them; how many were new."""
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    with transaction.atomic():
        created = create_deliveries([Recorded(event, claim_version, state)])
        _enqueue_deliveries(created)
    return len(created)


@task()
def dispatch_imported(claims: list[list]) -> int:
    """Write the deliveries of an import's batch (``[claim id, version, state]`` each)."""
    with transaction.atomic():
        created = create_deliveries(imported_events(claims))
        _enqueue_deliveries(created)
    return len(created)


@task()
@retrying(
    attempts=DELIVERY_ATTEMPTS,
    first_delay=FIRST_RETRY,
    on_give_up="claims.webhooks.tasks.delivery_failed",
)
def deliver(delivery_id: int, attempt: int = 1) -> bool:
    """Send one delivery, unless it went already (a retry after a redelivery succeeded)."""
    pending = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id)
        .exclude(status=DeliveryStatus.DELIVERED)
        .first()
    )
    if pending is None:
        return False
    if not pending.endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED,
            response_excerpt=_("Not sent: the endpoint is disabled."),
        )
        return False
    outcome = delivery.attempt(pending)
    if outcome.disabled_endpoint:
        logger.warning("Disabled webhook endpoint %s after a day of failures", pending.endpoint_id)
        enqueue_on_commit(send_endpoint_disabled_email, pending.endpoint_id)
    if not outcome.delivered:
        raise DeliveryFailed(outcome.excerpt or f"HTTP {outcome.status}")
    return True


def delivery_failed(delivery_id: int, attempt: int = 1, error: str = "") -> None:
    """After the last try: failed, for the delivery log to show and an editor to redeliver."""
    WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED
    )
    logger.error("Gave up on webhook delivery %s after %s tries: %s", delivery_id, attempt, error)


def endpoint_disabled_mail(endpoint: WebhookEndpoint):
    """The owner's mail: which endpoint stopped, why, and where to turn it back on."""
    with translation.override(settings.LANGUAGE_CODE):
        return desk_mail(
            _("[factcheck] Webhook disabled: %(url)s") % {"url": endpoint.url},
            "webhook_disabled",
            {
                "endpoint": endpoint,
                "page_url": site_url(reverse("claims:webhook_detail", kwargs={"pk": endpoint.pk})),
            },
            endpoint.owner.email,
        )


@task(queue_name="email")
@retrying(attempts=MAIL_ATTEMPTS, first_delay=timedelta(seconds=30))
def send_endpoint_disabled_email(endpoint_id: int) -> bool:
    """Tell the endpoint's owner it was disabled (nobody to tell: the page says it anyway)."""
    endpoint = (
        WebhookEndpoint.objects.select_related("owner")
        .filter(pk=endpoint_id, is_active=False)
        .first()
    )
    if endpoint is None or endpoint.owner is None or not endpoint.owner.email:
        return False
    endpoint_disabled_mail(endpoint).send()
    return True

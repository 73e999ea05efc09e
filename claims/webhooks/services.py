"""The webhook writes: registering, changing, rotating and deleting endpoints, redelivering.

Editors only (``permissions.can_manage_webhooks``). Endpoints are desk configuration, not claim
rows: no claim lock, version or audit event, like ``desk_preferences_update``. Errors are
``PermissionDenied`` and ``ValidationError`` keyed by field, for a form or the API to show.
The acting user comes first and may be passed by position or as ``actor=``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims import clock, netguard
from claims.background.enqueue import enqueue_on_commit
from claims.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEventType
from claims.permissions import Action, require
from claims.selectors.people import display_name

from .delivery import new_secret
from .tasks import deliver

DESCRIPTION_LENGTH = WebhookEndpoint._meta.get_field("description").max_length
URL_LENGTH = WebhookEndpoint._meta.get_field("url").max_length


def _require(actor) -> None:
    require(actor, Action.MANAGE_WEBHOOKS)


def _clean_url(url) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": _("Enter the address that receives the events.")})
    if len(url) > URL_LENGTH:
        raise ValidationError(
            {"url": _("Keep the address under %(length)d characters.") % {"length": URL_LENGTH}}
        )
    netguard.check_url(url, allow_private=settings.FACTCHECK_WEBHOOK_ALLOW_PRIVATE)
    return url


def _clean_event_types(event_types) -> list[str]:
    """The types chosen, in the table's order, each once."""
    if isinstance(event_types, str) or not event_types:
        raise ValidationError({"event_types": _("Choose at least one event type.")})
    chosen = set(event_types)
    unknown = sorted(str(kind) for kind in chosen - set(WebhookEventType.values))
    if unknown:
        raise ValidationError(
            {"event_types": _("Not an event type: %(types)s.") % {"types": ", ".join(unknown)}}
        )
    return [kind for kind in WebhookEventType.values if kind in chosen]


def _clean_description(description) -> str:
    description = (description or "").strip()
    if len(description) > DESCRIPTION_LENGTH:
        raise ValidationError(
            {
                "description": _("Keep the description under %(length)d characters.")
                % {"length": DESCRIPTION_LENGTH}
            }
        )
    return description


def _clean_all(**cleaners) -> dict:
    """Every field's value, or one ValidationError naming every field that is wrong."""
    values, errors = {}, {}
    for name, (clean, value) in cleaners.items():
        try:
            values[name] = clean(value)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return values


def webhook_endpoint_create(
    actor, *, url: str, event_types: list[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint owned by ``actor``; returns it and its secret, to show once."""
    _require(actor)
    values = _clean_all(
        url=(_clean_url, url),
        event_types=(_clean_event_types, event_types),
        description=(_clean_description, description),
    )
    now = clock.now()
    secret = new_secret()
    endpoint = WebhookEndpoint.objects.create(
        **values, secret=secret, owner=actor, created_at=now, updated_at=now
    )
    return endpoint, secret


def webhook_endpoint_update(
    actor,
    endpoint: WebhookEndpoint,
    *,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change what is given (None leaves a field as it is). Turning an endpoint off records
    who did; turning it on clears that and its failing mark, so it gets a fresh day."""
    _require(actor)
    cleaners = {}
    if url is not None:
        cleaners["url"] = (_clean_url, url)
    if event_types is not None:
        cleaners["event_types"] = (_clean_event_types, event_types)
    if description is not None:
        cleaners["description"] = (_clean_description, description)
    values = _clean_all(**cleaners)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        now = clock.now()
        for name, value in values.items():
            setattr(endpoint, name, value)
        if is_active is False and endpoint.is_active:
            endpoint.is_active = False
            endpoint.disabled_at = now
            endpoint.disabled_reason = _("Turned off by %(name)s.") % {"name": display_name(actor)}
        elif is_active is True and not endpoint.is_active:
            endpoint.is_active = True
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
            endpoint.failing_since = None
        endpoint.updated_at = now
        endpoint.save()
    return endpoint


def webhook_endpoint_rotate_secret(actor, endpoint: WebhookEndpoint) -> tuple[WebhookEndpoint, str]:
    """Give the endpoint a new secret at once (the old one signs nothing more); returns it,
    to show once. Retries of earlier deliveries are signed with the new one."""
    _require(actor)
    secret = new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.secret = secret
        endpoint.updated_at = clock.now()
        endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint, secret


def webhook_endpoint_delete(actor, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint and its delivery log; the claims' history is untouched."""
    _require(actor)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()


def webhook_delivery_redeliver(actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now, as the same message (its id unchanged, so a receiver that has
    it can tell), with a fresh round of retries: after the receiver is fixed nobody waits hours
    for the next retry, which then finds it delivered and stops. Refused while its endpoint is
    off, and before its first try."""
    _require(actor)
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .get(pk=delivery.pk)
        )
        if not delivery.endpoint.is_active:
            raise ValidationError(_("Turn the endpoint on before redelivering to it."))
        if delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0:
            raise ValidationError(_("This delivery has not been tried yet."))
        delivery.status = DeliveryStatus.PENDING
        delivery.save(update_fields=["status"])
        enqueue_on_commit(deliver, delivery.pk)
    return delivery

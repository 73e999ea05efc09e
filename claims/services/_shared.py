"""What the services share: locking a claim, checking versions, writing its audit event."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError

from claims import clock
from claims.audit.chain import record_event
from claims.models import Claim
from claims.notifications.tasks import announce
from claims.urlnorm import normalize_url
from claims.webhooks import dispatch as webhooks

from .conflicts import ClaimConflict


def lock_claim(claim_id: int) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim_id)


def check_version(claim: Claim, expected_version: int) -> None:
    if expected_version != claim.version:
        raise ClaimConflict(claim, expected_version)


def save_with_event(
    claim: Claim, *, actor, action: str, data: dict, fields: Iterable[str] = ()
) -> None:
    """Bump the version, extend the audit chain and save the claim's changed fields."""
    claim.version += 1
    claim.updated_at = clock.now()
    event = record_event(claim, actor=actor, action=action, data=data)
    claim.save(update_fields=[*fields, "version", "updated_at", "audit_length", "audit_head"])
    announce(event)  # the people it concerns are told once the transaction commits
    webhooks.announce(event, claim)  # and the endpoints subscribed to it


def full_clean(instance, exclude: Sequence[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def json_value(value):
    """A field's value as an event's JSON holds it: dates as ISO 8601 text."""
    return value.isoformat() if isinstance(value, date) else value


def check_source_url(url: str) -> None:
    """A source's address is optional (a speech may have none), but if given it is http(s)."""
    if url:
        try:
            normalize_url(url)
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from error

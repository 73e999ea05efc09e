"""Each person's own notification writes: the channel per kind, the claims they watch, and what
they have read.

No audit event and no claim version, like ``desk_preferences_update``: these rows change no
claim and nothing anyone else reads. Watching needs the right to read the claim.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from claims import clock
from claims.models import (
    DEFAULT_CHANNELS,
    Channel,
    Claim,
    Notification,
    NotificationKind,
    NotificationPreference,
    Watch,
)
from claims.permissions import Action, require


def notification_preferences_update(*, actor, channels: dict[str, str]) -> None:
    """Set ``actor``'s channel for each kind named; a kind set to its default keeps no row."""
    require(actor, Action.VIEW)
    errors = {}
    for kind, channel in channels.items():
        if kind not in NotificationKind.values:
            errors[kind] = _("“%(kind)s” is not a kind of notification.") % {"kind": kind}
        elif channel not in Channel.values:
            errors[kind] = _("“%(channel)s” is not a way to be told.") % {"channel": channel}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for kind, channel in channels.items():
            if channel == DEFAULT_CHANNELS[kind]:
                NotificationPreference.objects.filter(user=actor, kind=kind).delete()
            else:
                NotificationPreference.objects.update_or_create(
                    user=actor, kind=kind, defaults={"channel": channel}
                )


def claim_watch(*, actor, claim: Claim) -> Watch:
    """Follow ``claim``: its new comments, evidence and state changes notify ``actor``."""
    require(actor, Action.VIEW, claim)
    try:
        with transaction.atomic():
            watch, _created = Watch.objects.get_or_create(user=actor, claim=claim)
    except IntegrityError:  # the same person watching from two tabs at once
        watch = Watch.objects.get(user=actor, claim=claim)
    return watch


def claim_unwatch(*, actor, claim: Claim) -> None:
    require(actor, Action.VIEW, claim)
    Watch.objects.filter(user=actor, claim=claim).delete()


def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    """Mark ``actor``'s notifications read: those in ``ids``, or every unread one. Another
    person's notification is never touched, whatever ids are sent. Returns how many changed."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=clock.now())

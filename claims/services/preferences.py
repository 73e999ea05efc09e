"""Each person's desk preferences: how the desk is laid out for them, not what it holds."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.models import DeskPreferences, QueueDensity
from claims.permissions import Action, require


def desk_preferences_update(*, actor, queue_density: str) -> DeskPreferences:
    """Remember how ``actor`` likes the queue laid out, for every later visit on any device.

    No audit event and no version check, unlike every claim write: the trail is the claims'
    history, each event chained to its claim's previous one, and a layout changes no claim and
    nothing anyone else reads. Two tabs choosing at once simply leave the later choice.
    """
    require(actor, Action.VIEW)
    if queue_density not in QueueDensity.values:
        raise ValidationError(
            {"queue_density": _("“%(value)s” is not a queue density.") % {"value": queue_density}}
        )
    with transaction.atomic():
        preferences, _created = DeskPreferences.objects.update_or_create(
            user=actor, defaults={"queue_density": queue_density}
        )
    return preferences

"""A person's desk preferences, read where a page applies them."""

from claims.models import DeskPreferences, QueueDensity


def queue_density(user) -> str:
    """The queue density ``user`` chose, or the default if they never chose one.

    One query on the unique user id, only on the queue pages. Kept in the session instead, a
    choice made on one device would not reach the sessions already open on the others; joined
    to the user that every request loads, it would cost every page, the admin's too.
    """
    if not user.is_authenticated:
        return QueueDensity.COMFORTABLE
    chosen = (
        DeskPreferences.objects.filter(user_id=user.pk)
        .values_list("queue_density", flat=True)
        .first()
    )
    return chosen or QueueDensity.COMFORTABLE

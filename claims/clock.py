"""The time the services write down: the present, except while the demo loader replays the past.

Every time a service records (a claim's creation and last change, a link added or retracted, an
assignment made or closed, an audit event) comes from ``now()``. ``load_demo`` plays each demo
claim's steps inside ``replaying(moment)`` so that the demo desk has weeks of history, as a
desk's dashboard would show, rather than everything stamped with the second it was loaded.
Nothing that answers a request replays.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

_replayed: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "factcheck_replayed_time", default=None
)


def now() -> datetime:
    """The current time, or the moment being replayed."""
    return _replayed.get() or timezone.now()


@contextmanager
def replaying(moment: datetime) -> Iterator[None]:
    """Record every write made inside as made at ``moment`` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("replaying() needs an aware datetime")
    token = _replayed.set(moment)
    try:
        yield
    finally:
        _replayed.reset(token)


def day_start(day: date) -> datetime | None:
    """Midnight at the start of ``day`` in the desk's time zone, in UTC as the database gets it.

    Days are the desk's days: the queue's date filters and the dashboard's weeks count them
    alike. None where that moment lies outside what a datetime can hold (the first day of year
    1 east of Greenwich, the day after 31 December 9999), which bounds nothing.
    """
    try:
        midnight = timezone.make_aware(datetime.combine(day, time.min))
        return midnight.astimezone(UTC)
    except OverflowError:
        return None


def time_ago(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, in words a page shows: "just now" under a minute ("0 minutes ago" reads
    as a fault), else Django's ``timesince`` ("2 hours, 5 minutes ago")."""
    now = now or timezone.now()
    if (now - moment).total_seconds() < 60:
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(moment, now)}


def time_waiting(since: datetime, now: datetime | None = None) -> str:
    """How long something has waited, to the largest unit: "under a minute", "3 hours"."""
    now = now or timezone.now()
    if (now - since).total_seconds() < 60:
        return gettext("under a minute")
    return timesince(since, now, depth=1)


def day_end(day: date) -> datetime | None:
    """The moment ``day`` ends (midnight at the start of the next day, as ``day_start`` gives it),
    for "on or before ``day``" as ``< day_end(day)``. None after 31 December 9999, the last day
    there is, and where ``day_start`` gives None: neither bounds anything."""
    try:
        return day_start(day + timedelta(days=1))
    except OverflowError:
        return None

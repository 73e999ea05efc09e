"""Sessions that end after ``SESSION_IDLE_MINUTES`` without a request, not only when the
cookie's two weeks run out: a desk left signed in on a shared newsroom machine closes itself.

The time of the last request is kept in the session, written at most once a ``RESOLUTION``
so that browsing is not a session write per request. Because the stamp may be up to that
much older than the last request, a session ends once it is ``SESSION_IDLE_MINUTES`` plus
``RESOLUTION`` old: never before the idle time has passed, at most a minute after. Requests
without a session (the API's tokens) are not touched.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import ngettext

LAST_ACTIVITY = "factcheck_last_activity"  # seconds since the epoch, as an int
RESOLUTION = 60  # seconds


def note_sign_in(sender, request, user, **kwargs) -> None:
    """Stamp a session when it signs in (``user_logged_in``), so its first page writes no
    session again, whoever signed it in (the login view, a password reset, ``force_login``)."""
    if getattr(request, "session", None) is not None:
        request.session[LAST_ACTIVITY] = int(time.time())


class IdleSessionMiddleware:
    """Sign out a session idle for too long, with a message the login page shows; then note
    this request as activity. Placed after the message middleware, which the message needs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle_seconds = settings.SESSION_IDLE_MINUTES * 60
        session = request.session
        if idle_seconds and SESSION_KEY in session:
            last = session.get(LAST_ACTIVITY)
            if isinstance(last, int) and time.time() - last > idle_seconds + RESOLUTION:
                self.sign_out(request)
        response = self.get_response(request)
        if idle_seconds and SESSION_KEY in session:
            now = int(time.time())
            last = session.get(LAST_ACTIVITY)
            if not isinstance(last, int) or now - last >= RESOLUTION:
                session[LAST_ACTIVITY] = now
        return response

    @staticmethod
    def sign_out(request) -> None:
        minutes = settings.SESSION_IDLE_MINUTES
        logout(request)  # a new, empty session; the pages' login check then sends them to log in
        messages.info(
            request,
            ngettext(
                "You were signed out after %(minutes)d minute without activity.",
                "You were signed out after %(minutes)d minutes without activity.",
                minutes,
            )
            % {"minutes": minutes},
        )

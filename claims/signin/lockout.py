"""What django-axes counts a failed login against, and what a locked-out person is told.

Axes locks a username from one address after ``AXES_FAILURE_LIMIT`` failures within
``AXES_COOLOFF_TIME``, before any backend checks the password, so the right password is refused
too and a locked-out guess costs no hashing. Known and unknown usernames are counted and
answered alike: the page says nothing about whether the account exists.
"""

import ipaddress
import math

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from rest_framework.throttling import BaseThrottle


def client_address(request) -> str | None:
    """The address a login attempt counts against: the one the API's limits count too.

    DRF's NUM_PROXIES (1 when ``DJANGO_BEHIND_PROXY``) picks ``REMOTE_ADDR``, or behind the
    proxy the last ``X-Forwarded-For`` entry, the one the proxy itself saw: a client can
    prepend what it likes but cannot change that one. django-ipware's heuristics were not used
    because they prefer a public address anywhere in the header, which a client behind the
    proxy can forge. What is not an IP address falls back to ``REMOTE_ADDR``: the attempt is
    still counted, and the address column (``inet`` on PostgreSQL) only ever holds addresses.
    """
    for candidate in (BaseThrottle().get_ident(request), request.META.get("REMOTE_ADDR")):
        try:
            return str(ipaddress.ip_address((candidate or "").strip()))
        except ValueError:
            continue
    return None


def lockout_response(request, original_response=None, credentials=None):
    """The 429 page for a locked-out sign-in (the desk's or the admin's): when to try again,
    and who can lift the lock sooner. ``Retry-After`` says the same to a script."""
    cool_off = settings.AXES_COOLOFF_TIME
    # The lock runs from this attempt: every refused attempt is counted as a failure again
    # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so retrying in the meantime restarts it.
    attempt_time = getattr(request, "axes_attempt_time", None) or timezone.now()
    response = render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": math.ceil(cool_off.total_seconds() / 60),
            "until": attempt_time + cool_off,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response

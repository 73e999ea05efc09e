"""Rate limits per token (or per signed-in person) and per anonymous address, counted in the
default cache, which every process shares: the database cache unless CACHE_URL names Redis."""

from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _DeskThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read when asked, not when DRF's module was imported, so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenRateThrottle(_DeskThrottle):
    """Authenticated calls, counted per token, so one runaway script does not use up its
    owner's other tools; a browser session counts per user."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        token = request.auth if getattr(request.auth, "pk", None) else None
        ident = f"token-{token.pk}" if token is not None else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(_DeskThrottle):
    """Calls without valid credentials, counted per client address (``REMOTE_ADDR``, or the
    first proxy's view of it where DRF's NUM_PROXIES says to trust X-Forwarded-For).

    Not one of DRF's throttle classes: DRF throttles after authenticating and checking
    permissions, so a wrong token or a missing one would be answered 401 forever and guessing
    tokens would cost nothing. ``refuse_anonymous_over_limit`` is called where those are
    refused instead (``authentication``, ``base.DeskMember``).
    """

    scope = "anonymous"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def refuse_anonymous_over_limit(request, view=None) -> None:
    """Count one call without valid credentials from the request's address; 429 past the
    limit, with how long to wait."""
    throttle = AnonymousRateThrottle()
    if not throttle.allow_request(request, view):
        raise exceptions.Throttled(wait=throttle.wait())

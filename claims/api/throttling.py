"""Rate limits per token (or per signed-in person) and per anonymous address, counted in the
default cache, which every process shares: the database cache unless CACHE_URL names Redis."""

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Authenticated calls, counted per token, so one runaway script does not use up its
    owner's other tools; a browser session counts per user."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        token = request.auth if getattr(request.auth, "pk", None) else None
        ident = f"token-{token.pk}" if token is not None else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(SimpleRateThrottle):
    """Calls without credentials, counted per client address (``REMOTE_ADDR``, or the first
    proxy's view of it where DRF's NUM_PROXIES says to trust X-Forwarded-For)."""

    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

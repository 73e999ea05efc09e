"""What no response of the desk may be kept as: in a shared cache or the browser's history.

Every page, API answer and export holds the desk's unpublished work, so each response the
project's own code makes is ``Cache-Control: private, no-store`` unless it says otherwise
itself (the admin's ``never_cache`` does, more strictly). Static files never get here:
whitenoise answers them before this middleware, with their own long caching. A page meant
for the public (a verification page, say) opts out with ``no_store_exempt``.
"""

from functools import wraps

from django.utils.cache import patch_cache_control


def no_store_exempt(view):
    """Let ``view``'s responses be cached as their own headers say (none: as HTTP decides)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapper.no_store = False
    return wrapper


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response without a Cache-Control of its
    own, unless its view is ``no_store_exempt``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_no_store", True) and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._no_store = getattr(view_func, "no_store", True)

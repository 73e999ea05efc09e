"""With ``FACTCHECK_REQUIRE_2FA`` on, editors and staff act only in a session verified with a
code (``claims.permissions.must_use_two_factor``): every page and every write, the admin's
included, sends them to enrol or to type their code first.

Left alone: pages open to anyone (sign-in), the enrolment pages (``two_factor_exempt``),
logging out, and API calls with a personal token, whose owner made it for a script that has no
second factor. An API call on the session is refused with a problem, as the API answers.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from rest_framework.views import APIView

from claims.api.problems import PROBLEM_TYPE, problem
from claims.permissions import must_use_two_factor

from .selectors import has_two_factor


def two_factor_exempt(view):
    """Mark a view that an editor who must enrol still reaches: the pages that enrol them."""
    view.two_factor_exempt = True
    return view


def _exempt(request, view_func) -> bool:
    """Pages open to anyone, the enrolment pages and logging out (the desk's and the admin's)."""
    if not getattr(view_func, "login_required", True):
        return True
    if getattr(view_func, "two_factor_exempt", False):
        return True
    match = request.resolver_match
    return match is not None and match.url_name == "logout"


def _api_view(view_func) -> bool:
    """Is this a REST framework view? DRF marks them all open to anyone (it authenticates them
    itself), so they are told apart before the pages that truly are."""
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def _token_call(request) -> bool:
    """Does the request carry a personal API token? Then the token, not the session, acts."""
    scheme = request.headers.get("Authorization", "").split(" ", 1)[0]
    return scheme.lower() == "bearer"


class RequireTwoFactorMiddleware:
    """After OTPMiddleware and LoginRequiredMiddleware: the user is known and signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.FACTCHECK_REQUIRE_2FA:
            return None
        api = _api_view(view_func)
        if (api and _token_call(request)) or (not api and _exempt(request, view_func)):
            return None
        user = request.user
        if not must_use_two_factor(user) or user.is_verified():
            return None
        if api:
            return _api_refusal()
        enrolled = has_two_factor(user)
        target = reverse("twofactor:sign_in_code" if enrolled else "twofactor:manage")
        if request.method in ("GET", "HEAD"):  # a write's address is no page to come back to
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)


def _api_refusal() -> JsonResponse:
    detail = _(
        "Editors and staff sign in with a second factor before they act: finish signing in "
        "on the desk, or call the API with a personal token."
    )
    return JsonResponse(problem(403, str(detail)), status=403, content_type=PROBLEM_TYPE)

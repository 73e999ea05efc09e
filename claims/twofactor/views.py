"""The pages of two-factor sign-in: the sign-in's two steps, and each person's own enrolment
(begin, confirm with a code, cancel, new recovery codes, turn off).

Recovery codes are shown on the page that made them, once, with status 201, as a new API
token's secret is (``claims.web.views.account``): a redirect would have to carry them.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import RedirectView
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from claims.permissions import must_use_two_factor
from claims.web.forms import show_service_error
from claims.web.views.access import require_reader

from . import pending, qr, services
from .forms import CodeForm, ConfirmIdentityForm
from .middleware import two_factor_exempt
from .selectors import has_two_factor, two_factor_status


def _next_url(request, default: str = "") -> str:
    """Where to go once done: the ``next`` the request names, if it is on this desk."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# Signing in ----------------------------------------------------------------------------------


class PasswordStepView(LoginView):
    """Django's login; for someone with a second factor the right password only opens the
    code step, and the session stays anonymous until the code is right too."""

    def form_valid(self, form):
        user = form.get_user()
        if not has_two_factor(user):
            return super().form_valid(form)
        pending.start(self.request, user, self.get_success_url())
        return redirect("twofactor:sign_in_code")


def _unverified_with_device(user) -> bool:
    return user.is_authenticated and not user.is_verified() and has_two_factor(user)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step: a code from the app or a recovery code. Also verifies a session that
    was signed in before its person enrolled, when the desk requires it of them."""
    attempt = pending.current(request)
    if attempt is None and not _unverified_with_device(request.user):
        return redirect(settings.LOGIN_URL)
    user = attempt.user if attempt else request.user
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            show_service_error(form, error)
        else:
            if attempt:
                pending.clear(request)
                auth_login(request, user, backend=attempt.backend)
                next_url = attempt.next_url
            else:
                request.session.cycle_key()
                next_url = _next_url(request, resolve_url(settings.LOGIN_REDIRECT_URL))
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                _tell_recovery_codes_left(request, device)
            return redirect(next_url)
    context = {"form": form, "signing_in": attempt is not None, "next": _next_url(request)}
    return render(
        request, "registration/login_code.html", context, status=422 if form.is_bound else 200
    )


def _tell_recovery_codes_left(request, device: StaticDevice) -> None:
    left = StaticToken.objects.filter(device=device).count()
    messages.warning(
        request,
        ngettext(
            "You signed in with a recovery code: %(count)d is left. Make new ones in Settings.",
            "You signed in with a recovery code: %(count)d are left. Make new ones in Settings.",
            left,
        )
        % {"count": left},
    )


@method_decorator(login_not_required, name="dispatch")
class AdminSignInRedirect(RedirectView):
    """The admin's own login form would take a password alone: it sends people to the desk's."""

    pattern_name = "login"
    query_string = True


# Enrolling -----------------------------------------------------------------------------------


def _page(request, *, status=200, codes=None, **forms):
    """The two-factor page as ``request.user`` stands, with the forms given or fresh ones."""
    state = two_factor_status(request.user)
    context = {
        "status": state,
        "codes": codes,
        "required": must_use_two_factor(request.user),
        "verified": request.user.is_verified(),
        "next": _next_url(request),
        "confirm_form": forms.get("confirm_form") or CodeForm(digits_only=True, prefix="enrol"),
        "regenerate_form": forms.get("regenerate_form") or ConfirmIdentityForm(prefix="codes"),
        "disable_form": forms.get("disable_form") or ConfirmIdentityForm(prefix="disable"),
    }
    if state.pending is not None:
        context["qr_code"] = qr.qr_svg(state.pending)
        context["secret"] = qr.secret_for_typing(state.pending)
    return render(request, "claims/twofactor.html", context, status=status)


def _address(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _verify_first(request):
    """Changing an enrolled second factor needs a session verified with it: the code step,
    which comes back here; None when the session is verified."""
    if request.user.is_verified():
        return None
    return redirect(_address(reverse("twofactor:sign_in_code"), reverse("twofactor:manage")))


@two_factor_exempt
@never_cache
@require_GET
def two_factor_page(request):
    """Where a person stands: set up (with how many recovery codes), being set up (the QR code
    and the secret, and the code that confirms them), or not set up."""
    require_reader(request.user)
    return _page(request)


@two_factor_exempt
@require_POST
def enrolment_start(request):
    """Begin enrolling an authenticator app; the page then shows its QR code."""
    require_reader(request.user)
    try:
        services.totp_enrolment_start(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_address(reverse("twofactor:manage"), _next_url(request)) + "#enrol")


@two_factor_exempt
@never_cache
@require_POST
def enrolment_confirm(request):
    """Confirm the app with a code it shows; the session counts as verified from now on, and
    the recovery codes are shown this once."""
    require_reader(request.user)
    form = CodeForm(request.POST, digits_only=True, prefix="enrol")
    if form.is_valid():
        try:
            device, codes = services.totp_enrolment_confirm(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            request.session.cycle_key()
            otp_login(request, device)
            return _page(request, codes=codes, status=201)
    return _page(request, confirm_form=form, status=422)


@two_factor_exempt
@require_POST
def enrolment_cancel(request):
    """Forget an enrolment begun and not confirmed (its QR code is useless from now on)."""
    require_reader(request.user)
    services.totp_enrolment_cancel(actor=request.user)
    messages.success(request, _("Two-factor sign-in was not set up."))
    return redirect("claims:settings")


@two_factor_exempt
@never_cache
@require_POST
def recovery_codes_regenerate(request):
    """New recovery codes, shown this once; the old ones stop working."""
    require_reader(request.user)
    if (refusal := _verify_first(request)) is not None:
        return refusal
    form = ConfirmIdentityForm(request.POST, prefix="codes")
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(
                actor=request.user, confirmation=form.cleaned_data["confirmation"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return _page(request, codes=codes, status=201)
    return _page(request, regenerate_form=form, status=422)


@two_factor_exempt
@require_POST
def two_factor_disable(request):
    """Turn two-factor sign-in off: the password alone signs in again."""
    require_reader(request.user)
    if (refusal := _verify_first(request)) is not None:
        return refusal
    form = ConfirmIdentityForm(request.POST, prefix="disable")
    if form.is_valid():
        try:
            services.two_factor_disable(
                actor=request.user, confirmation=form.cleaned_data["confirmation"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("claims:settings")
    return _page(request, disable_form=form, status=422)

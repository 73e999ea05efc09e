"""Each person's settings page: how they hear of each kind of notification, and their personal
API tokens (a new token's secret is shown on the page that made it, once, and never stored)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from claims import services
from claims.models import ApiToken
from claims.notifications import services as notification_services
from claims.selectors.tokens import personal_tokens
from claims.twofactor.selectors import two_factor_status
from claims.web.forms import ApiTokenForm, NotificationPreferencesForm, show_service_error
from claims.web.views.access import require_reader


def _settings_page(request, *, form=None, token_form=None, new_token=None, status=200):
    return render(
        request,
        "claims/settings.html",
        {
            "form": form or NotificationPreferencesForm(user=request.user),
            "token_form": token_form or ApiTokenForm(prefix="token"),
            "tokens": personal_tokens(request.user),
            "new_token": new_token,
            "two_factor": two_factor_status(request.user),  # claims/twofactor/
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def settings_page(request):
    """The settings page; its POST saves the notification choices."""
    require_reader(request.user)
    if request.method == "GET":
        return _settings_page(request)
    form = NotificationPreferencesForm(request.POST, user=request.user)
    if form.is_valid():
        notification_services.notification_preferences_update(
            actor=request.user, channels=form.cleaned_data
        )
        messages.success(request, _("Notification settings saved."))
        return redirect("claims:settings")
    return _settings_page(request, form=form, status=422)


@require_POST
def token_create(request):
    """Make a token and show its secret on this one page: a redirect would have to carry it."""
    require_reader(request.user)
    form = ApiTokenForm(request.POST, prefix="token")
    if form.is_valid():
        try:
            token, secret = services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return _settings_page(request, new_token=(token, secret), status=201)
    return _settings_page(request, token_form=form, status=422)


@require_POST
def token_revoke(request, pk):
    """Revoke one of the person's own tokens; it stops working at once."""
    require_reader(request.user)
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("claims:settings")

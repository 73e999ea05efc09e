"""The desk's webhooks, for editors: the endpoints, one endpoint's settings and delivery log.

A secret is shown once: the write that made it keeps it in the session for the page it
redirects to, which takes it out again, so a reload or the back button never shows it twice.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from claims.models import WebhookDelivery, WebhookEndpoint
from claims.permissions import can_manage_webhooks
from claims.web.forms import WebhookEndpointForm, show_service_error
from claims.web.views.access import require_reader
from claims.webhooks import selectors, services

SECRET_SESSION_KEY = "webhook_secret_once"  # noqa: S105 - a key's name, not a secret


def _require_manager(user) -> None:
    require_reader(user)
    if not can_manage_webhooks(user):
        raise PermissionDenied(_("Webhooks are managed by the desk's editors."))


def _endpoint_or_404(pk) -> WebhookEndpoint:
    try:
        return selectors.webhook_endpoint(pk)
    except WebhookEndpoint.DoesNotExist as missing:
        raise Http404(_("No webhook endpoint with this number.")) from missing


def _keep_secret_for_next_page(request, endpoint: WebhookEndpoint, secret: str) -> None:
    request.session[SECRET_SESSION_KEY] = {"endpoint": endpoint.pk, "secret": secret}


def _secret_once(request, endpoint: WebhookEndpoint) -> str:
    kept = request.session.get(SECRET_SESSION_KEY)
    if not kept or kept.get("endpoint") != endpoint.pk:
        return ""
    del request.session[SECRET_SESSION_KEY]
    return kept["secret"]


@require_http_methods(["GET", "POST"])
def webhook_list(request):
    """Every endpoint with its state and last delivery, and the form to add one."""
    _require_manager(request.user)
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            endpoint, secret = services.webhook_endpoint_create(request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            _keep_secret_for_next_page(request, endpoint, secret)
            messages.success(request, _("Webhook endpoint added."))
            return redirect(endpoint)
    return render(
        request,
        "claims/webhooks.html",
        {"endpoints": selectors.webhook_endpoints(), "form": form},
        status=422 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def webhook_detail(request, pk):
    """One endpoint: its settings (a POST saves them), its controls and its delivery log."""
    _require_manager(request.user)
    endpoint = _endpoint_or_404(pk)
    if request.method == "POST":
        form = WebhookEndpointForm(request.POST)
        if form.is_valid():
            try:
                services.webhook_endpoint_update(request.user, endpoint, **form.cleaned_data)
            except ValidationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, _("Webhook endpoint saved."))
                return redirect(endpoint)
    else:
        form = WebhookEndpointForm.of(endpoint)
    context = {
        "endpoint": endpoint,
        "form": form,
        "secret": _secret_once(request, endpoint),
        "log": selectors.delivery_log(endpoint, request.GET.get("page")),
    }
    return render(
        request, "claims/webhook_detail.html", context, status=422 if form.is_bound else 200
    )


@require_POST
def webhook_switch(request, pk):
    """Turn the endpoint off (nothing more is sent) or back on."""
    _require_manager(request.user)
    endpoint = _endpoint_or_404(pk)
    active = request.POST.get("active") == "on"
    services.webhook_endpoint_update(request.user, endpoint, is_active=active)
    messages.success(
        request, _("Webhook endpoint turned on.") if active else _("Webhook endpoint turned off.")
    )
    return redirect(endpoint)


@require_POST
def webhook_rotate(request, pk):
    """A new signing secret, shown once on the endpoint's page."""
    _require_manager(request.user)
    endpoint, secret = services.webhook_endpoint_rotate_secret(request.user, _endpoint_or_404(pk))
    _keep_secret_for_next_page(request, endpoint, secret)
    messages.success(request, _("New signing secret made: the old one signs nothing more."))
    return redirect(endpoint)


@require_POST
def webhook_delete(request, pk):
    _require_manager(request.user)
    services.webhook_endpoint_delete(request.user, _endpoint_or_404(pk))
    messages.success(request, _("Webhook endpoint deleted, with its delivery log."))
    return redirect("claims:webhooks")


@require_POST
def webhook_redeliver(request, pk, delivery_id):
    """Send one delivery of the log again, then back to the log."""
    _require_manager(request.user)
    endpoint = _endpoint_or_404(pk)
    try:
        delivery = selectors.webhook_delivery(endpoint, delivery_id)
    except WebhookDelivery.DoesNotExist as missing:
        raise Http404(_("No such delivery to this endpoint.")) from missing
    try:
        services.webhook_delivery_redeliver(request.user, delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Delivery sent again."))
    return redirect(endpoint)

"""The inbox and watching a claim (the notification choices are on ``account``'s page)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims.models import Claim, Notification
from claims.notifications import selectors, services
from claims.notifications.presentation import sentence
from claims.web.views.access import require_reader


@require_GET
def inbox(request):
    """A person's notifications, newest first, each linking to its claim."""
    require_reader(request.user)
    box = selectors.inbox(request.user, request.GET.get("page"))
    items = [(notification, sentence(notification)) for notification in box.page.object_list]
    return render(request, "claims/inbox.html", {"inbox": box, "items": items})


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to its claim (a form, so reading is never a GET)."""
    require_reader(request.user)
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(actor=request.user, ids=[notification.pk])
    return redirect(notification.claim.get_absolute_url())


@require_POST
def notifications_read(request):
    """Mark every notification read, or the one named by ``id``; then back to the inbox."""
    require_reader(request.user)
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()] or None
    changed = services.notifications_mark_read(actor=request.user, ids=ids)
    if ids is None:
        messages.success(request, _("All notifications marked read."))
    elif changed:
        messages.success(request, _("Marked read."))
    return redirect("claims:inbox")


@require_POST
def claim_watch(request, pk):
    """Watch or stop watching a claim, then back to its page (or where the form said)."""
    require_reader(request.user)
    claim = get_object_or_404(Claim, pk=pk)
    if request.POST.get("watch") == "off":
        services.claim_unwatch(actor=request.user, claim=claim)
        messages.success(request, _("You no longer watch this claim."))
    else:
        services.claim_watch(actor=request.user, claim=claim)
        messages.success(
            request,
            _("You watch this claim: its comments, evidence and state changes will notify you."),
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = claim.get_absolute_url()
    return redirect(back)

"""The claim queue, a reviewer's own queue, and the queue's view downloaded as an export."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from claims.interchange import exports
from claims.permissions import (
    Action,
    can,
    is_editor,
    is_reviewer,
)
from claims.selectors import queue
from claims.selectors.filters import PAGE_SIZES, SORTS
from claims.signoff.waiting import waiting_for_signoff
from claims.web.presentation import queue_rows_html
from claims.web.views.access import require_reader


@require_GET
def home(request):
    """Where ``/`` and a fresh login land: a reviewer who does not run the desk starts on the
    claims waiting for them; everyone else on the whole queue."""
    user = request.user
    if user.is_authenticated and is_reviewer(user) and not is_editor(user):
        return redirect("claims:my_queue")
    return redirect("claims:list")


def _without_empty_parameters(request):
    """The same queue without the parameters left empty, or None when there are none.

    A GET form sends every field, so a search for one word came back with a dozen empty
    parameters in the address; a redirect gives the reader an address worth sharing, with or
    without JavaScript (htmx follows it)."""
    pairs = list(request.GET.lists())
    kept = [(name, [v for v in values if v]) for name, values in pairs]
    kept = [(name, values) for name, values in kept if values]
    if kept == pairs:
        return None
    query = urlencode(kept, doseq=True)
    return request.path + (f"?{query}" if query else "")


@require_GET
def claim_list(request):
    require_reader(request.user)
    if (cleaner := _without_empty_parameters(request)) is not None:
        return redirect(cleaner)
    claims = queue.claim_queue(user=request.user, params=request.GET)
    context = {
        "queue": claims,
        "queue_rows": queue_rows_html(claims.rows),
        "page_sizes": PAGE_SIZES,
        "sorts": SORTS,
        "can_create": can(request.user, Action.CREATE_CLAIM),
    }
    if request.htmx and request.htmx.target == "queue-results":
        return render(request, "claims/includes/queue_results.html", context)
    return render(request, "claims/claim_list.html", context)


@require_GET
def my_queue(request):
    require_reader(request.user)
    return render(
        request,
        "claims/my_queue.html",
        {
            "assignments": queue.reviewer_queue(request.user),
            "waiting": waiting_for_signoff(request.user),
        },
    )


@require_GET
def claim_export(request, export_format):
    """The claims the queue's current filters show, streamed in one of the export formats; the
    report links back to the queue on the same filters and sort (the parameters are the same)."""
    require_reader(request.user)
    if export_format not in exports.FORMATS:
        raise Http404(_("No such export format."))
    module = exports.FORMATS[export_format]
    back_url = reverse("claims:list")
    if request.GET:
        back_url += "?" + request.GET.urlencode()
    _total, chunks = exports.export(
        export_format, request.GET, user=request.user, back_url=back_url
    )
    response = StreamingHttpResponse(chunks, content_type=module.CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=export_format != "html", filename=f"verdicts-{stamp}.{module.EXTENSION}"
    )
    return response

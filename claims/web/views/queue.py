"""The claim queue, a reviewer's own queue, and the queue's view downloaded as an export."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import services
from claims.interchange import exports
from claims.interchange.exports.html import allow_report_assets
from claims.models import QueueDensity, ReviewState
from claims.permissions import (
    Action,
    can,
    can_act_in_bulk,
    is_editor,
    is_reviewer,
    signoff_required,
)
from claims.selectors import queue
from claims.selectors.filters import PAGE_SIZES, SORTS, current_parameters
from claims.selectors.people import display_name
from claims.selectors.preferences import queue_density
from claims.signoff.waiting import waiting_for_signoff
from claims.web.bulk import keep_bulk_result, take_bulk_result
from claims.web.forms import QueueBulkForm, ticked_claims
from claims.web.presentation import queue_rows_html, selection_value
from claims.web.views.access import require_reader


@require_GET
def home(request):
    """Where ``/`` and a fresh login land: a reviewer who does not run the desk starts on the
    claims waiting for them; everyone else on the whole queue."""
    user = request.user
    if user.is_authenticated and is_reviewer(user) and not is_editor(user):
        return redirect("claims:my_queue")
    return redirect("claims:list")


def _cleaner_address(request):
    """The same queue without the parameters left empty and with retired ones replaced, or
    None when it is already so.

    A GET form sends every field, so a search for one word came back with a dozen empty
    parameters in the address; a redirect gives the reader an address worth sharing, with or
    without JavaScript (htmx follows it). A bookmark from before a filter was merged into
    another opens on the filter that replaced it, shown as such in the form."""
    pairs = list(request.GET.lists())
    current = current_parameters(request.GET)
    kept = [(name, [v for v in values if v]) for name, values in current.lists()]
    kept = [(name, values) for name, values in kept if values]
    if kept == pairs:
        return None
    return _queue_address(kept)


def _queue_address(pairs) -> str:
    """The queue's address with these parameters (a QueryDict or (name, values) pairs)."""
    pairs = list(pairs.lists()) if hasattr(pairs, "lists") else pairs
    query = urlencode(pairs, doseq=True)
    return reverse("claims:list") + (f"?{query}" if query else "")


def _queue_page(request, *, bulk_form: QueueBulkForm | None = None, status: int = 200):
    """The queue as ``request.GET`` filters it, in the user's density; for those who may act
    in bulk, with checkboxes and the bulk form (``bulk_form`` when shown again with errors,
    its ticks kept)."""
    user = request.user
    claims = queue.claim_queue(user=user, params=request.GET)
    density = queue_density(user)
    selectable = can_act_in_bulk(user)
    if selectable and bulk_form is None:
        bulk_form = QueueBulkForm()
    if bulk_form is not None:
        bulk_form.offer_reviewers(claims.filterset.reviewers)
    selected = ticked_claims(bulk_form.data) if bulk_form and bulk_form.is_bound else frozenset()
    context = {
        "queue": claims,
        "queue_rows": queue_rows_html(
            claims.rows,
            selectable=selectable,
            selected=selected,
            compact=density == QueueDensity.COMPACT,
        ),
        "page_sizes": PAGE_SIZES,
        "sorts": SORTS,
        "can_create": can(user, Action.CREATE_CLAIM),
        "density": density,
        "densities": QueueDensity.choices,
        "bulk_form": bulk_form if selectable else None,
        "shown_claims": " ".join(selection_value(row.claim) for row in claims.rows)
        if selectable
        else "",
        "bulk_result": take_bulk_result(request),
        "queue_query": f"?{request.GET.urlencode()}" if request.GET else "",
    }
    if request.htmx and request.htmx.target == "queue-results":
        return render(request, "claims/includes/queue_results.html", context, status=status)
    return render(request, "claims/claim_list.html", context, status=status)


@require_http_methods(["GET", "POST"])
def claim_list(request):
    """The queue; a POST to the same address is its bulk form (so the page shown again with an
    error keeps every relative link of the queue: tabs, sorts, pages)."""
    require_reader(request.user)
    if request.method == "POST":
        return _claim_bulk(request)
    if (cleaner := _cleaner_address(request)) is not None:
        return redirect(cleaner)
    return _queue_page(request)


def _claim_bulk(request):
    """Assign a reviewer to, or change the state of, the claims ticked in the queue, each
    checked and recorded on its own; then back to the same queue (its address carries the
    filters, sort and page), where the result says which changed and which were refused.
    Input to correct shows the queue again with the error at the bulk form (422)."""
    if not can_act_in_bulk(request.user):
        raise PermissionDenied(_("Only editors act on many claims at once."))
    form = QueueBulkForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, bulk_form=form, status=422)
    data = form.cleaned_data
    if data["action"] == QueueBulkForm.ASSIGN:
        outcome = services.claims_assign_reviewer(
            actor=request.user, claims=form.claims, reviewer=data["reviewer"], due_on=data["due_on"]
        )
        done = _("assigned to %(reviewer)s") % {"reviewer": display_name(data["reviewer"])}
    else:
        outcome = services.claims_change_state(
            actor=request.user,
            claims=form.claims,
            versions=data["versions"],
            state=data["state"],
            rationale=data["rationale"],
        )
        state = ReviewState(data["state"]).label
        if signoff_required():  # each move is proposed, and waits for another editor
            done = _("proposed as %(state)s, waiting for sign-off") % {"state": state}
        else:
            done = _("moved to %(state)s") % {"state": state}
    keep_bulk_result(request, outcome, done)
    return redirect(_queue_address(request.GET))


@require_POST
def queue_density_update(request):
    """Remember the density the user chose for the queue, then back to the same queue."""
    require_reader(request.user)
    try:
        services.desk_preferences_update(
            actor=request.user, queue_density=request.POST.get("density", "")
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return redirect(_queue_address(request.GET))


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
@allow_report_assets  # the printable report
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

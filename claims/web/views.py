"""Pages of the editor UI. Thin: a form cleans the input, a service decides and writes, and the
page is shown again with the user's input and the error where one was refused.

Each action is a plain POST that redirects back to the claim page, so everything works without
JavaScript; htmx posts the same forms and swaps the claim's workspace in place.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import services
from claims.interchange import exports
from claims.models import Assignment, Claim, Evidence, Source, Stance
from claims.permissions import (
    Action,
    available_actions,
    can,
    can_see_dashboard,
    can_view,
    is_editor,
    require,
)
from claims.selectors import claim_page, queue
from claims.selectors.dashboard import desk_dashboard
from claims.selectors.filters import PAGE_SIZES, SORTS
from claims.web.charts import bar_chart, column_chart
from claims.web.forms import (
    AppearanceFormSet,
    AssignForm,
    ClaimEditForm,
    ClaimForm,
    CloseAssignmentForm,
    EvidenceForm,
    RetractForm,
    SourceEditForm,
    SourceForm,
    StateChangeForm,
    keep_input_after_conflict,
    show_service_error,
)
from claims.web.presentation import queue_rows_html

# Pages ------------------------------------------------------------------------------------------


def _require_reader(user) -> None:
    if not can_view(user):
        raise PermissionDenied(_("Your account has no role on this desk yet. Ask an editor."))


@require_GET
def home(request):
    return redirect("claims:list")


@require_GET
def claim_list(request):
    _require_reader(request.user)
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
    _require_reader(request.user)
    return render(
        request,
        "claims/my_queue.html",
        {"assignments": queue.reviewer_queue(request.user)},
    )


def _claim(pk: int) -> Claim:
    try:
        return claim_page.claim_detail(pk)
    except Claim.DoesNotExist as missing:
        raise Http404(_("No claim with this number.")) from missing


def _claim_page(request, claim: Claim, *, bound: dict | None = None, conflict=None, status=200):
    """The claim page, with fresh forms except the ``bound`` ones being shown again."""
    user = request.user
    actions = available_actions(user, claim)
    version = {"expected_version": claim.version}
    forms = {
        "support": EvidenceForm(prefix="supports", initial={**version, "stance": Stance.SUPPORTS}),
        "contradict": EvidenceForm(
            prefix="contradicts", initial={**version, "stance": Stance.CONTRADICTS}
        ),
        "assign": AssignForm(prefix="assign", initial=version),
        "state": StateChangeForm(prefix="state", claim=claim, initial=version),
        **(bound or {}),
    }
    evidence = list(claim.evidence.all())
    for link in evidence:
        link.can_retract = can(user, Action.RETRACT_EVIDENCE, claim, target=link, actions=actions)
        link.retract_form = forms.get(f"retract-{link.pk}") or RetractForm(
            prefix=f"retract-{link.pk}", initial=version
        )
    assignments = list(claim.assignments.all())
    for assignment in assignments:
        assignment.can_complete = can(
            user, Action.COMPLETE_ASSIGNMENT, claim, target=assignment, actions=actions
        )
        assignment.can_withdraw = can(
            user, Action.WITHDRAW_ASSIGNMENT, claim, target=assignment, actions=actions
        )
        assignment.close_form = forms.get(f"close-{assignment.pk}") or CloseAssignmentForm(
            prefix=f"close-{assignment.pk}", initial=version
        )
    context = {
        "claim": claim,
        "actions": actions,
        "forms": forms,
        "supporting": [e for e in evidence if e.stance == Stance.SUPPORTS],
        "contradicting": [e for e in evidence if e.stance == Stance.CONTRADICTS],
        "assignments": assignments,
        "timeline": claim_page.claim_timeline(claim),
        "conflict": conflict,
        "can_edit": Action.EDIT_CLAIM in actions,
        "can_edit_sources": Action.MANAGE_SOURCES in actions,
    }
    return render(request, "claims/claim_detail.html", context, status=status)


@require_GET
def claim_detail(request, pk):
    _require_reader(request.user)
    return _claim_page(request, _claim(pk))


# Actions on a claim -------------------------------------------------------------------------------


def _run(request, claim: Claim, form, key: str, write, success: str, anchor: str):
    """Validate ``form``, call ``write(cleaned_data)``, then redirect, or show the page again."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except services.ClaimConflict as conflict:
            keep_input_after_conflict(form, conflict)
            return _claim_page(
                request, _claim(claim.pk), bound={key: form}, conflict=conflict, status=409
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect(f"{claim.get_absolute_url()}#{anchor}")
    return _claim_page(request, _claim(claim.pk), bound={key: form}, status=422)


@require_POST
def evidence_add(request, pk, stance):
    if stance not in Stance.values:
        raise Http404
    claim = get_object_or_404(Claim, pk=pk)
    require(request.user, Action.ADD_EVIDENCE, claim)
    form = EvidenceForm(request.POST, prefix=stance, initial={"stance": stance})
    key = "support" if stance == Stance.SUPPORTS else "contradict"

    def write(data):
        services.evidence_add(
            actor=request.user,
            claim=claim,
            expected_version=data["expected_version"],
            stance=stance,
            url=data["url"],
            title=data["title"],
            publisher=data["publisher"],
            excerpt=data["excerpt"],
            note=data["note"],
        )

    return _run(request, claim, form, key, write, _("Evidence added."), f"evidence-{stance}")


@require_POST
def evidence_retract(request, pk, evidence_id):
    claim = get_object_or_404(Claim, pk=pk)
    evidence = get_object_or_404(Evidence, pk=evidence_id, claim=claim)
    require(request.user, Action.RETRACT_EVIDENCE, claim, target=evidence)
    key = f"retract-{evidence.pk}"
    form = RetractForm(request.POST, prefix=key)

    def write(data):
        services.evidence_retract(
            actor=request.user,
            evidence=evidence,
            expected_version=data["expected_version"],
            reason=data["reason"],
        )

    return _run(
        request, claim, form, key, write, _("Evidence retracted."), f"evidence-{evidence.stance}"
    )


@require_POST
def reviewer_assign(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    require(request.user, Action.ASSIGN_REVIEWER, claim)
    form = AssignForm(request.POST, prefix="assign")

    def write(data):
        services.reviewer_assign(
            actor=request.user,
            claim=claim,
            expected_version=data["expected_version"],
            reviewer=data["reviewer"],
            due_on=data["due_on"],
        )

    return _run(request, claim, form, "assign", write, _("Reviewer assigned."), "assignments")


def _close_assignment(request, pk, assignment_id, action, close, success):
    """Mark done or withdraw: ``close(assignment, cleaned_data)`` calls the service."""
    claim = get_object_or_404(Claim, pk=pk)
    assignment = get_object_or_404(Assignment, pk=assignment_id, claim=claim)
    require(request.user, action, claim, target=assignment)
    key = f"close-{assignment.pk}"
    form = CloseAssignmentForm(request.POST, prefix=key)
    return _run(
        request, claim, form, key, lambda data: close(assignment, data), success, "assignments"
    )


@require_POST
def assignment_complete(request, pk, assignment_id):
    def close(assignment, data):
        services.reviewer_complete(
            actor=request.user,
            assignment=assignment,
            expected_version=data["expected_version"],
            note=data["note"],
        )

    return _close_assignment(
        request, pk, assignment_id, Action.COMPLETE_ASSIGNMENT, close, _("Review marked done.")
    )


@require_POST
def assignment_withdraw(request, pk, assignment_id):
    def close(assignment, data):
        services.reviewer_withdraw(
            actor=request.user,
            assignment=assignment,
            expected_version=data["expected_version"],
            reason=data["note"],
        )

    return _close_assignment(
        request, pk, assignment_id, Action.WITHDRAW_ASSIGNMENT, close, _("Reviewer withdrawn.")
    )


@require_POST
def state_change(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    require(request.user, Action.CHANGE_STATE, claim)
    form = StateChangeForm(request.POST, prefix="state", claim=claim)

    def write(data):
        services.claim_change_state(
            actor=request.user,
            claim=claim,
            expected_version=data["expected_version"],
            state=data["state"],
            rationale=data["rationale"],
        )

    return _run(request, claim, form, "state", write, _("State changed."), "state")


# Creating and editing claims and sources ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def claim_create(request):
    require(request.user, Action.CREATE_CLAIM)
    form = ClaimForm(request.POST or None)
    formset = AppearanceFormSet(request.POST or None, prefix="appearances")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            claim = services.claim_create(
                actor=request.user, appearances=formset.appearance_inputs(), **form.cleaned_data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Claim created. Assign a reviewer or add evidence."))
            return redirect(claim)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "claims/claim_form.html", {"form": form, "formset": formset}, status=status
    )


@require_http_methods(["GET", "POST"])
def claim_edit(request, pk):
    claim = _claim(pk)
    require(request.user, Action.EDIT_CLAIM, claim)
    initial = {
        "text": claim.text,
        "claimant": claim.claimant,
        "claimed_on": claim.claimed_on,
        "expected_version": claim.version,
    }
    appearances = [{"source": a.source, "quote": a.quote} for a in claim.appearances.all()]
    form = ClaimEditForm(request.POST or None, initial=initial)
    formset = AppearanceFormSet(request.POST or None, prefix="appearances", initial=appearances)
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            services.claim_update(
                actor=request.user,
                claim=claim,
                expected_version=data["expected_version"],
                text=data["text"],
                claimant=data["claimant"],
                claimed_on=data["claimed_on"],
                appearances=formset.appearance_inputs(),
            )
        except services.ClaimConflict as error:
            conflict = error
            keep_input_after_conflict(form, error)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Claim saved."))
            return redirect(claim)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render(
        request,
        "claims/claim_form.html",
        {"form": form, "formset": formset, "claim": claim, "conflict": conflict},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def source_create(request):
    require(request.user, Action.MANAGE_SOURCES)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.source_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Source “%(title)s” added.") % {"title": source.title})
            next_url = request.POST.get("next") or ""
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                return redirect(next_url)
            return redirect(reverse("claims:create"))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "claims/source_form.html",
        {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")},
        status=status,
    )


SOURCE_FIELDS = ("title", "url", "outlet", "author", "published_on", "text")


@require_http_methods(["GET", "POST"])
def source_edit(request, pk):
    """Correct a source on file: a stale edit is shown beside the current source, not lost."""
    require(request.user, Action.MANAGE_SOURCES)
    source = get_object_or_404(Source, pk=pk)
    initial = {field: getattr(source, field) for field in SOURCE_FIELDS}
    form = SourceEditForm(
        request.POST or None, initial={**initial, "expected_version": source.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.source_update(
                actor=request.user,
                source=source,
                expected_version=data["expected_version"],
                **{field: data[field] for field in SOURCE_FIELDS},
            )
        except services.SourceConflict as error:
            conflict = error
            keep_input_after_conflict(form, error)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Source “%(title)s” saved.") % {"title": data["title"]})
            next_url = request.POST.get("next") or ""
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                return redirect(next_url)
            return redirect("claims:list")
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render(
        request,
        "claims/source_form.html",
        {
            "form": form,
            "source": conflict.current if conflict else source,
            "conflict": conflict,
            "next": request.GET.get("next") or request.POST.get("next", ""),
        },
        status=status,
    )


def permission_denied(request, exception=None):
    """The 403 page says what was refused, in the desk's own layout."""
    return render(
        request,
        "403.html",
        {
            "reason": str(exception) if exception else "",
            "is_editor": is_editor(request.user) if request.user.is_authenticated else False,
        },
        status=403,
    )


# Exports ----------------------------------------------------------------------------------------


@require_GET
def claim_export(request, export_format):
    """The claims the queue's current filters show, streamed in one of the export formats."""
    _require_reader(request.user)
    if export_format not in exports.FORMATS:
        raise Http404(_("No such export format."))
    module = exports.FORMATS[export_format]
    _total, chunks = exports.export(export_format, request.GET, user=request.user)
    response = StreamingHttpResponse(chunks, content_type=module.CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=export_format != "html", filename=f"verdicts-{stamp}.{module.EXTENSION}"
    )
    return response


# Dashboard --------------------------------------------------------------------------------------


@require_GET
def dashboard(request):
    """Where the desk stands and what is stuck: for the people who run the desk."""
    if not can_see_dashboard(request.user):
        raise PermissionDenied(_("The dashboard is for editors and staff."))
    board = desk_dashboard()
    charts = {
        "weekly": column_chart(board.weekly, "chart-weekly", width=1100, height=300),
        "states": bar_chart(board.states, "chart-states"),
        "workload": bar_chart(board.workload, "chart-workload"),
        "ages": column_chart(board.ages, "chart-ages", width=480, height=260),
    }
    return render(request, "claims/dashboard.html", {"board": board, "charts": charts})

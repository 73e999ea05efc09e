"""Creating and editing claims and sources: forms whose input is kept through every refusal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from claims import services
from claims.models import ReviewState, Source
from claims.permissions import (
    Action,
    can,
    require,
)
from claims.selectors.people import display_name
from claims.web import feedback
from claims.web.forms import (
    AppearanceFormSet,
    ClaimCreateForm,
    ClaimEditForm,
    SourceEditForm,
    SourceForm,
    keep_input_after_conflict,
    show_service_error,
    typed_values,
)
from claims.web.views.access import claim_or_404

ADD_ROW = "add_appearance"  # the submit button that shows the form again with one more row


@require_http_methods(["GET", "POST"])
def claim_create(request):
    """A new claim with where it appeared, and for editors its first reviewer at once."""
    require(request.user, Action.CREATE_CLAIM)
    may_assign = can(request.user, Action.ASSIGN_REVIEWER)
    form = ClaimCreateForm(request.POST or None, may_assign=may_assign)
    formset = AppearanceFormSet(request.POST or None, prefix="appearances")
    if ADD_ROW in request.POST:
        form = ClaimCreateForm(initial=typed_values(form), may_assign=may_assign)
        formset = formset.with_one_more_row(prefix="appearances")
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            claim = _create_and_assign(request.user, form, formset)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            feedback.confirm(
                request,
                _created_message(form.cleaned_data.get("reviewer")),
                item=feedback.CLAIM_ITEM,
            )
            return redirect(claim)
    status = 422 if request.method == "POST" and ADD_ROW not in request.POST else 200
    return render(
        request, "claims/claim_form.html", {"form": form, "formset": formset}, status=status
    )


def _create_and_assign(actor, form, formset):
    """Both writes or neither: a claim whose chosen reviewer was refused is not left behind
    unassigned. Each service records its own audit event."""
    reviewer = form.cleaned_data.get("reviewer")
    with transaction.atomic():
        claim = services.claim_create(
            actor=actor, appearances=formset.appearance_inputs(), **form.claim_values()
        )
        if reviewer is not None:
            services.reviewer_assign(
                actor=actor,
                claim=claim,
                reviewer=reviewer,
                due_on=form.cleaned_data.get("due_on"),
            )
    return claim


def _created_message(reviewer) -> str:
    if reviewer is None:
        return _("Claim created. Assign a reviewer or add evidence.")
    return _("Claim created and assigned to %(reviewer)s.") % {"reviewer": display_name(reviewer)}


@require_http_methods(["GET", "POST"])
def claim_edit(request, pk):
    claim = claim_or_404(pk)
    require(request.user, Action.EDIT_CLAIM, claim)
    initial = {
        "text": claim.text,
        "claimant": claim.claimant,
        "claimed_on": claim.claimed_on,
        "expected_version": claim.version,
        **ClaimEditForm.seen_initial(claim),
    }
    appearances = [{"source": a.source, "quote": a.quote} for a in claim.appearances.all()]
    has_verdict = claim.state != ReviewState.UNVERIFIED
    form = ClaimEditForm(request.POST or None, initial=initial, has_verdict=has_verdict)
    formset = AppearanceFormSet(request.POST or None, prefix="appearances", initial=appearances)
    conflict, clashes = None, []
    if ADD_ROW in request.POST:
        # The version the user saw travels on: saving later still detects others' changes.
        form = ClaimEditForm(initial=typed_values(form), has_verdict=has_verdict)
        formset = formset.with_one_more_row(prefix="appearances")
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
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
                seen=form.seen(),
                reason=data.get("reason", ""),
            )
        except services.ClaimConflict as error:
            conflict = error
            clashes = _show_beside_theirs(form, error)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            feedback.confirm(request, _("Claim saved."), item=feedback.CLAIM_ITEM)
            return redirect(claim)
    status = 200 if request.method == "GET" or ADD_ROW in request.POST else 422
    status = 409 if conflict else status
    return render(
        request,
        "claims/claim_form.html",
        {
            "form": form,
            "formset": formset,
            "claim": claim,
            "conflict": conflict,
            "clashes": clashes,
        },
        status=status,
    )


def _show_beside_theirs(form: ClaimEditForm, conflict: services.ClaimConflict) -> list[dict]:
    """After a clash: the form keeps what this user typed where both changed a field, shows the
    saved value of every field they left alone, and now counts the saved values as seen, so
    saving again writes only their choices and never puts back what they never touched.
    Returns the clashing fields with both values, for the page to show side by side."""
    current, fields = conflict.claim, getattr(conflict, "fields", [])
    data, seen = form.data.copy(), form.seen()
    for field in ClaimEditForm.MERGED:
        saved = getattr(current, field)
        shown = "" if saved is None else str(saved)
        untouched = seen is not None and form.cleaned_data.get(field) == seen.get(field)
        if field not in fields and untouched:
            data[field] = shown
        data[f"seen_{field}"] = shown
    data.setlist("keep_theirs", [])
    data["expected_version"] = str(current.version)
    form.data = data
    clashes = []
    for field in fields:
        if field == "appearances":
            saved = ", ".join(str(a.source) for a in current.appearances.all())
            clashes.append({"field": field, "label": _("Where it appeared"), "theirs": saved})
        else:
            clashes.append(
                {
                    "field": field,
                    "label": form.fields[field].label,
                    "theirs": getattr(current, field),
                    "yours": form.cleaned_data.get(field),
                }
            )
    return clashes


def _back_to_next(request, fallback: str):
    """Back to the page the form was opened from (``next``), if it is on this site."""
    next_url = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(fallback)


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
            return _back_to_next(request, reverse("claims:create"))
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
            return _back_to_next(request, reverse("claims:list"))
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

"""The Django admin for the desk: every model is registered, and every save goes through services.

Add and change forms are ``admin_forms.ServiceForm`` subclasses that call the service as their last
validation step; the ModelAdmins' own save steps do nothing. Nothing can be deleted here, and audit
events can only be read. Bulk actions on claims call the service once per claim and report each
claim changed or refused.

The changelists are built for a desk of 100,000 claims and a million events: one count per page
(the claim tally answers it when it can), no date hierarchy or facet counts that scan a table,
orderings on indexed columns, full-text search on the claims' index, and no joins to count evidence.
The machinery they share (paginators, the base admin classes, reviewer filters) is in
``claims.admin_lists``.
"""

import json
from collections import defaultdict
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import (
    SEARCH_VAR,
    ChangeList,
)
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims import services
from claims.admin.forms import (
    AppearanceFormSet,
    AssignmentAddForm,
    BulkAssignForm,
    BulkStateChangeForm,
    ClaimAddForm,
    ClaimChangeForm,
    EvidenceAddForm,
    EvidenceRetractForm,
    SourceForm,
)
from claims.admin.lists import (
    AssignedReviewerFilter,
    ClaimTextSearchMixin,
    LargeListAdmin,
    OpenReviewFilter,
    ServiceAdmin,
    list_narrowing,
)
from claims.audit.actions import AuditAction
from claims.audit.sentences import describe
from claims.models import (
    Appearance,
    Assignment,
    AuditEvent,
    Claim,
    Evidence,
    ReviewState,
    Source,
)
from claims.permissions import Action, can
from claims.search import count_matches, search_claims
from claims.selectors.people import display_name, reviewer_candidates
from claims.selectors.queue import desk_state_counts


def _admin_link(viewname: str, label: str, *, query: str) -> str:
    url = f"{reverse(viewname)}?{query}"
    return format_html('<a href="{}">{}</a>', url, label)


# Sources ------------------------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    add_form_class = change_form_class = SourceForm
    list_display = ("title", "outlet", "author", "published_on", "url")
    list_filter = ("outlet", "published_on")
    search_fields = ("title", "outlet", "author", "url")
    date_hierarchy = "published_on"
    readonly_fields = ("created_at",)
    fields = ("title", "url", "outlet", "author", "published_on", "text", "created_at")


# Claims -------------------------------------------------------------------------------------------


class AppearanceInline(admin.TabularInline):
    """Where the claim appeared; written by the claim form through claim_create / claim_update."""

    model = Appearance
    formset = AppearanceFormSet
    fields = ("source", "quote")
    autocomplete_fields = ("source",)
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "quote":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    # Appearances are part of the claim: whoever may add or change the claim may edit its rows.
    def _may_edit_claim(self, request, obj):
        action = "add" if obj is None else "change"
        return request.user.has_perm(f"claims.{get_permission_codename(action, Claim._meta)}")

    def has_add_permission(self, request, obj):
        return self._may_edit_claim(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit_claim(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit_claim(request, obj)


# How many claims one bulk action may change, and how many each message names before "and N more".
BULK_ACTION_LIMIT = 500
CLAIMS_NAMED = 10
BULK_CONFIRM = "confirm"


def _claims_named(claims: list[Claim]) -> str:
    """``#12 “The bridge…”, #15 “…” and 40 more``: readable for one claim or for hundreds."""
    named = ", ".join(
        f"#{claim.pk} “{Truncator(claim.text).chars(40)}”" for claim in claims[:CLAIMS_NAMED]
    )
    rest = len(claims) - CLAIMS_NAMED
    if rest > 0:
        named += " " + ngettext("and %(count)d more", "and %(count)d more", rest) % {"count": rest}
    return named


def _versions_seen(post, claims) -> dict[int, int]:
    """The version of each claim its bulk action's confirmation page showed, by claim id."""
    seen = {}
    for claim in claims:
        value = post.get(f"version-{claim.pk}", "")
        if value.isdigit() and len(value) < 10:
            seen[claim.pk] = int(value)
    return seen


# A number no claim id reaches, replaced by each row's id in URLs reversed once a page.
_ID_PLACEHOLDER = 9_876_543_210_123


class ClaimChangeList(ChangeList):
    """The claim list, its rows written by ``ClaimAdmin.claim_rows`` with one format_html each.

    Stock rows cost some 40 µs a cell in the admin's per-cell lookups, formatting and escaping:
    over 30 ms for a page of 100 claims, most of the page. The markup is the stock markup (a test
    compares them); popups keep the stock rendering.
    """

    def result_table(self) -> dict:
        headers = list(result_headers(self))
        return {
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "results": [[row] for row in self.model_admin.claim_rows(self)],
        }


@admin.register(Claim)
class ClaimAdmin(ServiceAdmin):
    add_form_class = ClaimAddForm
    change_form_class = ClaimChangeForm
    inlines = (AppearanceInline,)
    # Only the claim's own columns: the evidence counters are stored on the claim (never a
    # Count over 500,000 links), and no foreign key is shown, so no join is needed.
    list_display = (
        "__str__",
        "claimant",
        "state",
        "supporting_count",
        "contradicting_count",
        "claimed_on",
        "updated_at",
        "desk_page",
    )
    list_filter = ("state", OpenReviewFilter, "updated_at")
    # Searched on the full-text index by get_search_results; listed so the admin shows the box.
    search_fields = ("text", "claimant")
    search_help_text = gettext_lazy("Words of the claim or the claimant's name; all must match.")
    ordering = ("-updated_at", "-id")
    # The orderings with an index behind them; the others would sort every claim for one page.
    sortable_by = ("claimant", "updated_at")
    actions = ("assign_reviewer", "change_state")
    readonly_fields = (
        "state",
        "rationale",
        "supporting_count",
        "contradicting_count",
        "state_changed_at",
        "first_verdict_at",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "audit_length",
        "audit_head",
        "desk_links",
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("text", "claimant", "claimed_on")}),)
        claim_fields = ("text", "claimant", "claimed_on")
        if self.has_change_permission(request, obj):
            claim_fields += ("expected_version",)
        return (
            (None, {"fields": claim_fields}),
            (
                _("Review (changed in the review workflow, not here)"),
                {
                    "fields": (
                        "state",
                        "rationale",
                        "supporting_count",
                        "contradicting_count",
                        "state_changed_at",
                        "first_verdict_at",
                        "desk_links",
                    )
                },
            ),
            (
                _("Record"),
                {
                    "fields": (
                        "version",
                        "created_by",
                        "created_at",
                        "updated_at",
                        "audit_length",
                        "audit_head",
                    )
                },
            ),
        )

    # The list --------------------------------------------------------------------------------

    def known_count(self, request):
        """The desk-wide or one-state count from the tally the database keeps, or a plain
        search's count from the search index alone; else None (the paginator counts)."""
        narrowing = list_narrowing(request)
        if set(narrowing) == {SEARCH_VAR}:
            return count_matches(request.GET.get(SEARCH_VAR, ""))
        if narrowing and set(narrowing) != {"state__exact"}:
            return None
        counts = desk_state_counts()
        # Several values of one filter parameter are ORed by the admin.
        states = set(narrowing.get("state__exact", counts))
        if not states <= set(counts):
            return None  # not a state: the filter matches nothing, and counting says so
        return sum(counts[state] for state in states)

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    def claim_rows(self, cl) -> list[str]:
        """The cells of each claim's row, as ``items_for_result`` would write them for
        ``list_display``; URLs and labels are looked up once a page, not once a cell."""
        change_url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts},
            reverse("admin:claims_claim_change", args=[_ID_PLACEHOLDER]),
        )
        desk_url = reverse("claims:detail", kwargs={"pk": _ID_PLACEHOLDER})
        placeholder = str(_ID_PLACEHOLDER)
        checkbox = "action_checkbox" in cl.list_display
        select_label = _("Select this object for an action - {}")
        empty = self.get_empty_value_display()
        states = {value: str(label) for value, label in ReviewState.choices}
        zone = timezone.get_current_timezone()
        date_format, datetime_format = get_format("DATE_FORMAT"), get_format("DATETIME_FORMAT")
        open_label = _("open")
        rows = []
        for claim in cl.result_list:
            pk, text = str(claim.pk), str(claim)
            rows.append(
                format_html(
                    '{}<th class="field-__str__"><a href="{}">{}</a></th>'
                    '<td class="field-claimant">{}</td><td class="field-state">{}</td>'
                    '<td class="field-supporting_count">{}</td>'
                    '<td class="field-contradicting_count">{}</td>'
                    '<td class="field-claimed_on nowrap">{}</td>'
                    '<td class="field-updated_at nowrap">{}</td>'
                    '<td class="field-desk_page"><a href="{}">{}</a></td>',
                    format_html(
                        '<td class="action-checkbox"><input type="checkbox" '
                        'name="_selected_action" value="{}" class="action-select" '
                        'aria-label="{}"></td>',
                        pk,
                        format_html(select_label, text),
                    )
                    if checkbox
                    else "",
                    change_url.replace(placeholder, pk),
                    text,
                    claim.claimant,
                    states.get(claim.state, claim.state),
                    claim.supporting_count,
                    claim.contradicting_count,
                    dateformat.format(claim.claimed_on, date_format) if claim.claimed_on else empty,
                    dateformat.format(timezone.localtime(claim.updated_at, zone), datetime_format),
                    desk_url.replace(placeholder, pk),
                    open_label,
                )
            )
        return rows

    def get_search_results(self, request, queryset, search_term):
        """Full-text search on the claims' own index (``search.search_claims``), not LIKE over
        100,000 texts; it matches each claim once, so there are no duplicates to remove.

        The unsearched rows are kept on the request for ``get_paginator``: the first pages of a
        broad search are found by walking the list's index (``search.reads_in_order``).
        """
        request.claim_search = (queryset, search_term)
        return search_claims(queryset, search_term), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        unsearched, term = getattr(request, "claim_search", (None, ""))
        if unsearched is not None and term.strip():
            paginator.in_order = lambda: search_claims(unsearched, term, in_order=True)
        return paginator

    @admin.display(description=gettext_lazy("desk"))
    def desk_page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))

    @admin.display(description=gettext_lazy("evidence, reviewers, history"))
    def desk_links(self, obj):
        by_claim = f"claim__id__exact={obj.pk}"
        links = [
            format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open on the desk")),
            _admin_link("admin:claims_evidence_changelist", _("Evidence"), query=by_claim),
            _admin_link("admin:claims_evidence_add", _("add evidence"), query=f"claim={obj.pk}"),
            _admin_link("admin:claims_assignment_changelist", _("Reviewers"), query=by_claim),
            _admin_link(
                "admin:claims_assignment_add", _("assign a reviewer"), query=f"claim={obj.pk}"
            ),
            _admin_link(
                "admin:claims_auditevent_changelist",
                _("Audit trail (%(count)s events)") % {"count": obj.audit_length},
                query=by_claim,
            ),
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links))

    # Bulk actions ----------------------------------------------------------------------------

    def has_assign_reviewer_permission(self, request):
        return can(request.user, Action.ASSIGN_REVIEWER)

    def has_change_state_permission(self, request):
        # Desk-wide: reviewers may move only their own claims, one at a time on the desk.
        return can(request.user, Action.CHANGE_STATE)

    @admin.action(
        description=gettext_lazy("Assign a reviewer to the selected claims…"),
        permissions=["assign_reviewer"],
    )
    def assign_reviewer(self, request, queryset):
        def assign(claim, version, data):
            services.reviewer_assign(
                actor=request.user,
                claim=claim,
                expected_version=version,
                reviewer=data["reviewer"],
                due_on=data["due_on"],
            )

        def done(data):
            return _("assigned to %(reviewer)s") % {"reviewer": display_name(data["reviewer"])}

        return self._bulk_action(
            request,
            queryset,
            form_class=BulkAssignForm,
            title=_("Assign a reviewer"),
            submit=_("Assign"),
            write=assign,
            done=done,
        )

    @admin.action(
        description=gettext_lazy("Change the state of the selected claims…"),
        permissions=["change_state"],
    )
    def change_state(self, request, queryset):
        def move(claim, version, data):
            services.claim_change_state(
                actor=request.user,
                claim=claim,
                expected_version=version,
                state=data["state"],
                rationale=data["rationale"],
            )

        def done(data):
            return _("moved to %(state)s") % {"state": ReviewState(data["state"]).label}

        return self._bulk_action(
            request,
            queryset,
            form_class=BulkStateChangeForm,
            title=_("Change the state of claims"),
            submit=_("Change state"),
            write=move,
            done=done,
        )

    def _bulk_action(
        self,
        request,
        queryset,
        *,
        form_class,
        title: str,
        submit: str,
        write: Callable[[Claim, int, dict], object],
        done: Callable[[dict], str],
    ):
        """Ask for the action's input on an intermediate page, then write claim by claim.

        Returns the page (first visit, or input to correct) or None, which sends the user back
        to the list, where messages say which claims changed and which were refused and why.
        """
        claims = list(
            queryset.order_by("pk").only("pk", "text", "state", "version")[: BULK_ACTION_LIMIT + 1]
        )
        if len(claims) > BULK_ACTION_LIMIT:
            self.message_user(
                request,
                _("Select at most %(limit)d claims for one action.") % {"limit": BULK_ACTION_LIMIT},
                messages.ERROR,
            )
            return None
        form = form_class(request.POST if BULK_CONFIRM in request.POST else None)
        if form.is_bound and form.is_valid():
            seen = _versions_seen(request.POST, claims)
            changed, refused = self._write_each(claims, write, form.cleaned_data, seen)
            self._report(request, changed, refused, done(form.cleaned_data))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "claims": claims,
            "action": request.POST.get("action", ""),
            "confirm_field": BULK_CONFIRM,
            "submit_label": submit,
            "back_url": request.get_full_path(),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/claims/claim/bulk_action.html", context)

    @staticmethod
    def _write_each(claims, write, data, seen: dict[int, int]):
        """One service call per claim, each in the service's own transaction.

        Each claim is written at the version its confirmation page showed (``seen``), so one
        that someone changed since is refused as a conflict rather than changed blind; a claim
        the page did not carry a version for is written at its current one. Returns the claims
        changed and, by reason, those refused.
        """
        changed, refused = [], defaultdict(list)
        for claim in claims:
            version = Claim.objects.filter(pk=claim.pk).values_list("version", flat=True).first()
            if version is None:
                refused[_("The claim no longer exists.")].append(claim)
                continue
            version = seen.get(claim.pk, version)
            try:
                write(claim, version, data)
            except ValidationError as error:
                reason = " ".join(error.messages)
            except services.ClaimConflict:
                # The conflict's own message names versions: one reason per claim, unreadable
                # in bulk. What the user needs is that it moved under them.
                reason = _(
                    "Someone else changed the claim after you chose it: look at it again first."
                )
            except PermissionDenied as denied:
                reason = str(denied) or _("You do not have permission to do this.")
            else:
                changed.append(claim)
                continue
            refused[reason].append(claim)
        return changed, dict(refused)

    def _report(self, request, changed, refused, done: str) -> None:
        """One success message naming the claims changed, one warning naming the refused by
        reason; each links to the list of exactly those claims."""
        if changed:
            self.message_user(
                request,
                format_html(
                    "{} {} {}",
                    ngettext(
                        "%(count)d claim %(done)s:",
                        "%(count)d claims %(done)s:",
                        len(changed),
                    )
                    % {"count": len(changed), "done": done},
                    _claims_named(changed),
                    self._listed(changed),
                ),
                messages.SUCCESS,
            )
        if refused:
            total = sum(len(claims) for claims in refused.values())
            self.message_user(
                request,
                format_html(
                    "{} {} {}",
                    ngettext("%(count)d claim refused:", "%(count)d claims refused:", total)
                    % {"count": total},
                    format_html_join(
                        " ",
                        "{} ({})",
                        ((reason, _claims_named(claims)) for reason, claims in refused.items()),
                    ),
                    self._listed([claim for claims in refused.values() for claim in claims]),
                ),
                messages.WARNING,
            )

    def _listed(self, claims):
        ids = ",".join(str(claim.pk) for claim in claims)
        url = f"{reverse('admin:claims_claim_changelist')}?id__in={ids}"
        return format_html('<a href="{}">{}</a>', url, _("List them."))


# Evidence -----------------------------------------------------------------------------------------


class StandingFilter(admin.SimpleListFilter):
    title = gettext_lazy("standing")
    parameter_name = "standing"

    def lookups(self, request, model_admin):
        return (("yes", _("Standing")), ("no", _("Retracted")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(retracted_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(retracted_at__isnull=False)
        return queryset


_EVIDENCE_RECORD = (
    "claim",
    "stance",
    "url",
    "normalized_url",
    "title",
    "publisher",
    "excerpt",
    "note",
    "added_by",
    "added_at",
)
_EVIDENCE_RETRACTION = ("retracted_at", "retracted_by", "retraction_reason")


@admin.register(Evidence)
class EvidenceAdmin(ClaimTextSearchMixin, ServiceAdmin):
    """Links are added here; an existing link can only be retracted, with a reason."""

    add_form_class = EvidenceAddForm
    change_form_class = EvidenceRetractForm
    list_display = (
        "__str__",
        "claim",
        "stance",
        "is_standing",
        "publisher",
        "added_by",
        "added_at",
    )
    list_filter = ("stance", StandingFilter, "added_at")
    # And the claim's text, on its full-text index (ClaimTextSearchMixin).
    search_fields = ("url", "title", "publisher")
    list_select_related = ("claim", "added_by")
    # Newest first on the primary key: 500,000 links have no index on added_at to sort by,
    # and a date hierarchy would truncate every row's date to list the years.
    ordering = ("-id",)
    sortable_by = ()
    autocomplete_fields = ("claim",)

    @admin.display(description=gettext_lazy("standing"), boolean=True)
    def is_standing(self, obj):
        return obj.is_standing

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (
                    None,
                    {"fields": ("claim", "stance", "url", "title", "publisher", "excerpt", "note")},
                ),
            )
        if obj.is_standing and self.has_change_permission(request, obj):
            return (
                (None, {"fields": _EVIDENCE_RECORD}),
                (_("Retract this link"), {"fields": ("reason", "expected_version")}),
            )
        return (
            (None, {"fields": _EVIDENCE_RECORD}),
            (_("Retraction"), {"fields": _EVIDENCE_RETRACTION}),
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else _EVIDENCE_RECORD + _EVIDENCE_RETRACTION

    def has_change_permission(self, request, obj=None):
        # Changing a link means retracting it, which happens once.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_standing)


# Reviewer assignments -----------------------------------------------------------------------------


@admin.register(Assignment)
class AssignmentAdmin(ClaimTextSearchMixin, ServiceAdmin):
    """Reviewers are assigned here; an assignment is closed by the actions, never edited."""

    add_form_class = AssignmentAddForm
    list_display = (
        "claim",
        "reviewer",
        "status",
        "due_on",
        "assigned_by",
        "assigned_at",
        "closed_at",
    )
    list_filter = ("status", AssignedReviewerFilter, "due_on")
    # And the claim's text, on its full-text index (ClaimTextSearchMixin).
    search_fields = ("reviewer__username", "reviewer__first_name", "reviewer__last_name")
    list_select_related = ("claim", "reviewer", "assigned_by")
    # Newest first on the primary key; (status, due_on) serves the status filter.
    ordering = ("-id",)
    sortable_by = ()
    autocomplete_fields = ("claim", "reviewer")
    actions = ("complete_selected", "withdraw_selected")
    readonly_fields = (
        "claim",
        "reviewer",
        "status",
        "due_on",
        "assigned_by",
        "assigned_at",
        "closed_by",
        "closed_at",
        "close_reason",
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("claim", "reviewer", "due_on")}),)
        return ((None, {"fields": self.readonly_fields}),)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # Without an object this is the permission the close actions need.
        return obj is None and super().has_change_permission(request)

    @admin.action(
        description=gettext_lazy("Mark the selected reviews done"), permissions=["change"]
    )
    def complete_selected(self, request, queryset):
        self._close_each(request, queryset, services.reviewer_complete, _("marked done"))

    @admin.action(
        description=gettext_lazy("Withdraw the selected reviewers"), permissions=["change"]
    )
    def withdraw_selected(self, request, queryset):
        self._close_each(request, queryset, services.reviewer_withdraw, _("withdrawn"))

    def _close_each(self, request, queryset, close, outcome):
        """One service call per assignment, each in its own transaction, each result reported."""
        for assignment in queryset.select_related("reviewer").order_by("pk"):
            # Each close bumps the claim's version, so read it afresh for every row.
            version = Claim.objects.values_list("version", flat=True).get(pk=assignment.claim_id)
            try:
                close(actor=request.user, assignment=assignment, expected_version=version)
            except ValidationError as error:
                self._report(request, assignment, " ".join(error.messages), messages.ERROR)
            except (PermissionDenied, services.EditConflict) as error:
                self._report(request, assignment, str(error), messages.ERROR)
            else:
                self._report(request, assignment, outcome, messages.SUCCESS)

    def _report(self, request, assignment, text, level):
        self.message_user(
            request,
            _("Assignment #%(id)s (%(reviewer)s on claim %(claim)s): %(text)s")
            % {
                "id": assignment.pk,
                "reviewer": assignment.reviewer,
                "claim": assignment.claim_id,
                "text": text,
            },
            level,
        )


# Audit events -------------------------------------------------------------------------------------


class ActionFilter(admin.SimpleListFilter):
    title = gettext_lazy("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return AuditAction.choices

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ClaimTextSearchMixin, LargeListAdmin):
    """The audit trail, read-only: events are appended by services and never changed."""

    list_display = ("created_at", "claim_link", "action", "actor_name", "sentence")
    list_filter = (ActionFilter, "created_at")
    # And the claim's text, on its full-text index (ClaimTextSearchMixin).
    search_fields = ("actor_name",)
    # The (-created_at, -id) index; no date hierarchy, which would scan a million rows.
    ordering = ("-created_at", "-id")
    sortable_by = ("created_at",)
    fields = (
        "claim_link",
        "sequence",
        "action",
        "sentence",
        "actor",
        "actor_name",
        "created_at",
        "pretty_data",
        "previous_hash",
        "hash",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # A subquery, not a join: history outlives claims, and a join would hide such events.
        claim_text = Claim.objects.filter(pk=OuterRef("claim_id")).values("text")[:1]
        return super().get_queryset(request).annotate(claim_text=Subquery(claim_text))

    @admin.display(description=gettext_lazy("claim"), ordering="claim_id")
    def claim_link(self, obj):
        if obj.claim_text is None:
            return _("#%(id)s (deleted)") % {"id": obj.claim_id}
        return format_html(
            '<a href="{}">#{} {}</a>',
            reverse("admin:claims_claim_change", args=[obj.claim_id]),
            obj.claim_id,
            Truncator(obj.claim_text).chars(60),
        )

    @admin.display(description=gettext_lazy("what happened"))
    def sentence(self, obj):
        return describe(obj)

    @admin.display(description=gettext_lazy("data"))
    def pretty_data(self, obj):
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.data, indent=2, sort_keys=True, ensure_ascii=False)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Users ----------------------------------------------------------------------------------------

User = get_user_model()


class DeskUserAdmin(UserAdmin):
    """Django's user admin, answering the assignment form's reviewer autocomplete too.

    The autocomplete offers only people who may review (``admin_forms.reviewer_candidates``,
    which the service checks again), and it answers whoever may assign reviewers: an editor with
    staff status needs no right to browse the user list to pick a reviewer.
    """

    def _reviewer_lookup(self, request) -> bool:
        match = request.resolver_match
        return (
            match is not None
            and match.url_name == "autocomplete"
            and request.GET.get("app_label") == Assignment._meta.app_label
            and request.GET.get("model_name") == Assignment._meta.model_name
            and request.GET.get("field_name") == "reviewer"
        )

    def has_view_permission(self, request, obj=None):
        if obj is None and self._reviewer_lookup(request):
            return can(request.user, Action.ASSIGN_REVIEWER)
        return super().has_view_permission(request, obj)

    def get_search_fields(self, request):
        if self._reviewer_lookup(request):
            # By name only: someone picking a reviewer has no business probing e-mail addresses.
            return ("username", "first_name", "last_name")
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if self._reviewer_lookup(request):
            results = results.filter(pk__in=reviewer_candidates().values("pk"))
        return results, may_have_duplicates


admin.site.unregister(User)
admin.site.register(User, DeskUserAdmin)

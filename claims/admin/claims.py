"""The claims' admin: a changelist built for 100,000 claims, and add and change forms that write
through claim_create / claim_update with the claim's appearances inline.

The list costs one count per page at most (the claim tally answers it when it can), sorts only
on indexed columns, searches the claims' full-text index and joins nothing to show evidence
counts. The bulk actions are in ``claims.admin.actions``.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth import get_permission_codename
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims.admin.actions import assign_reviewer, change_state
from claims.admin.forms import AppearanceFormSet, ClaimAddForm, ClaimChangeForm
from claims.admin.lists import (
    GuardedChangeList,
    GuardedInput,
    OpenReviewFilter,
    ServiceAdmin,
    list_narrowing,
)
from claims.models import Appearance, Claim, ReviewState
from claims.permissions import Action, can
from claims.search import count_matches, search_claims
from claims.selectors.queue import desk_state_counts


def _admin_link(viewname: str, label: str, *, query: str) -> str:
    url = f"{reverse(viewname)}?{query}"
    return format_html('<a href="{}">{}</a>', url, label)


class AppearanceInline(GuardedInput, admin.TabularInline):
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


# A number no claim id reaches, replaced by each row's id in URLs reversed once a page.
_ID_PLACEHOLDER = 9_876_543_210_123


class ClaimChangeList(GuardedChangeList):
    """The claim list, its rows written by ``ClaimAdmin.claim_rows`` with one format_html each.

    The stock rows' per-cell lookups, formatting and escaping were most of the page's time on a
    page of 100 claims. The markup is the stock markup (a test compares them); popups keep the
    stock rendering.
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
    actions = (assign_reviewer, change_state)
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
        claim_fields = ("text", "claimant", "claimed_on", *self.version_seen(request, obj))
        if obj.state != ReviewState.UNVERIFIED and self.has_change_permission(request, obj):
            claim_fields = (*claim_fields, "reason")
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
                ngettext(
                    "Audit trail (%(count)d event)",
                    "Audit trail (%(count)d events)",
                    obj.audit_length,
                )
                % {"count": obj.audit_length},
                query=by_claim,
            ),
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links))

    # Bulk actions (claims.admin.actions) ------------------------------------------------------

    def has_assign_reviewer_permission(self, request):
        return can(request.user, Action.ASSIGN_REVIEWER)

    def has_change_state_permission(self, request):
        # Desk-wide: reviewers may move only their own claims, one at a time on the desk.
        return can(request.user, Action.CHANGE_STATE)

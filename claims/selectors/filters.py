"""The claim queue's filters: every one lives in the URL, so a view can be bookmarked and shared."""

import datetime
import functools
import html

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from claims import clock
from claims.models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    Claim,
    ReviewState,
    Source,
    is_row_id,
)
from claims.search import search_claims
from claims.selectors.people import (
    former_reviewer,
    reviewer_label,
    reviewer_options,
)

ME = "me"
UNASSIGNED = "unassigned"
ASSIGNED = "assigned"  # any reviewer: the claims with at least one open assignment

SORTS = {
    "updated": ("-updated_at", "-id"),
    "-updated": ("updated_at", "id"),
    "created": ("-created_at", "-id"),
    "-created": ("created_at", "id"),
    "claimant": ("claimant", "id"),
    "-claimant": ("-claimant", "-id"),
    "state": ("state", "-updated_at", "-id"),
    "-state": ("-state", "-updated_at", "-id"),
    "supporting": ("-supporting_count", "-id"),
    "-supporting": ("supporting_count", "id"),
    "contradicting": ("-contradicting_count", "-id"),
    "-contradicting": ("contradicting_count", "id"),
    # Soonest due first, overdue at the top; latest first the other way. A claim with no due
    # date has nothing to be soon or late about: it comes last either way.
    "due": (F("next_due_on").asc(nulls_last=True), "id"),
    "-due": (F("next_due_on").desc(nulls_last=True), "-id"),
    # Longest waiting first: the order of the "Waiting for sign-off" tab, read off the partial
    # index of waiting claims. The queue offers it only there (every other claim waits for
    # nothing, and sorting all of them by it would read the whole table).
    "waiting": (F("signoff_waiting_since").asc(nulls_last=True), "id"),
}
WAITING_SORT = "waiting"
WAITING = "waiting"  # the sign-off filter's one value: claims with something to sign off
PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25

_YES_NO = (("", _("Any")), ("yes", _("Yes")), ("no", _("No")))


# Parameters the queue no longer offers, each with the parameter and values that replaced it, so
# a bookmarked address still selects the same claims. "Has a reviewer" (assigned=yes/no) said
# again what the reviewer select says with "Unassigned"; the select now also offers "Assigned
# to anyone".
RETIRED_PARAMETERS = {"assigned": ("reviewer", {"yes": ASSIGNED, "no": UNASSIGNED})}


def current_parameters(params: QueryDict | dict) -> QueryDict | dict:
    """``params`` with every retired parameter replaced by the one the queue has now.

    A parameter the new one already answers is dropped: a reviewer chosen by name or as
    "me" implies having one, and when the two disagree the reviewer as chosen wins.
    """
    if not any(name in params for name in RETIRED_PARAMETERS):
        return params
    params = params.copy()
    for name, (replacement, values) in RETIRED_PARAMETERS.items():
        if name in params:
            value = values.get(params.get(name))
            del params[name]
            if value and not params.get(replacement):
                params[replacement] = value
    return params


def open_assignments():
    return Assignment.objects.filter(claim=OuterRef("pk"), status=AssignmentStatus.OPEN)


class PlainSelect(forms.Select):
    """A select written out in Python rather than through two templates per option.

    The source filter lists every source; rendered option by option through Django's widget
    templates it took longer than the rest of the queue page together.
    """

    # The options as plain (value, label) strings, when the filter set has them at hand: going
    # through ``self.choices`` normalizes every one of 400 sources again on each request.
    plain_choices: list[tuple[str, str]] | None = None

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        choices = tuple((str(key), str(label)) for key, label in self.plain_choices or self.choices)
        options = "".join(
            chosen if key in selected else plain for key, plain, chosen in _written_options(choices)
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value and label in the options went through html.escape.
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            final_attrs,
            mark_safe(options),  # noqa: S308
        )


@functools.lru_cache(maxsize=64)
def _written_options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """Each option as HTML, unselected and selected, kept for the next request with the same
    choices: escaping 400 sources' titles again on every queue request was a millisecond.
    Keyed by the labels as given (already in the request's language)."""
    # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper.
    written = []
    for key, label in choices:
        value, text = html.escape(key), html.escape(label)
        written.append(
            (
                key,
                f'\n  <option value="{value}">{text}</option>',
                f'\n  <option value="{value}" selected>{text}</option>',
            )
        )
    return tuple(written)


class PlainInput(forms.widgets.Input):
    """An ``<input>`` written out in Python: the filter form renders eleven widgets on every
    queue request, and each went through two or three widget templates."""

    def __init__(self, input_type: str, attrs=None):
        self.input_type = input_type
        super().__init__(attrs)

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        if value is not None:
            final_attrs["value"] = value
        input_type = self.input_type
        # A browser empties a date field whose value is no date, so a mistyped date would vanish
        # beside its error; as text it stays there to be corrected.
        if input_type == "date" and final_attrs.get("aria-invalid") and value:
            input_type = "text"
        return format_html('<input type="{}" name="{}"{}>', input_type, name, flatatt(final_attrs))


class PlainCheckbox(forms.CheckboxInput):
    """A checkbox written out in Python, for the same reason as PlainInput."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.check_test(value):
            final_attrs["checked"] = True
        return format_html('<input type="checkbox" name="{}"{}>', name, flatatt(final_attrs))


def _date_input() -> PlainInput:
    return PlainInput("date")


def _on_or_after(queryset, field: str, day: datetime.date):
    """``field`` on ``day`` or later, in the desk's time zone."""
    start = clock.day_start(day)
    return queryset if start is None else queryset.filter(**{f"{field}__gte": start})


def _on_or_before(queryset, field: str, day: datetime.date):
    """``field`` on ``day`` or earlier, in the desk's time zone."""
    end = clock.day_end(day)
    return queryset if end is None else queryset.filter(**{f"{field}__lt": end})


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=ReviewState.choices,
        empty_label=_("All states"),
        widget=PlainSelect,
    )
    reviewer = django_filters.ChoiceFilter(
        label=_("Reviewer"),
        method="filter_reviewer",
        empty_label=_("Anyone or no one"),
        widget=PlainSelect,
    )
    claimant = django_filters.CharFilter(
        label=_("Claimant"), lookup_expr="icontains", widget=PlainInput("text")
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), method="filter_source", empty_label=_("Any source"), widget=PlainSelect
    )
    supporting = django_filters.ChoiceFilter(
        label=_("Has supporting evidence"),
        choices=_YES_NO[1:],
        method="filter_supporting",
        empty_label=_("Any"),
        widget=PlainSelect,
    )
    contradicting = django_filters.ChoiceFilter(
        label=_("Has contradicting evidence"),
        choices=_YES_NO[1:],
        method="filter_contradicting",
        empty_label=_("Any"),
        widget=PlainSelect,
    )
    # A tab of the queue, as the state is: the claims whose proposal or independent review waits
    # for an editor's decision (kept on the claim row by the sign-off services).
    signoff = django_filters.ChoiceFilter(
        label=_("Sign-off"),
        choices=((WAITING, _("Waiting for sign-off")),),
        method="filter_signoff",
        empty_label=_("Any"),
        widget=PlainSelect,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=PlainCheckbox
    )
    created_from = django_filters.DateFilter(
        label=_("Created from"),
        method="filter_created_from",
        widget=_date_input(),
    )
    created_to = django_filters.DateFilter(
        label=_("Created to"),
        method="filter_created_to",
        widget=_date_input(),
    )
    updated_from = django_filters.DateFilter(
        label=_("Changed from"),
        method="filter_updated_from",
        widget=_date_input(),
    )
    updated_to = django_filters.DateFilter(
        label=_("Changed to"),
        method="filter_updated_to",
        widget=_date_input(),
    )

    class Meta:
        model = Claim
        fields = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        self.user = user
        if data is not None:
            data = current_parameters(data)
        super().__init__(data, *args, **kwargs)
        self._offer_choices()

    def _offer_choices(self) -> None:
        """The source and reviewer selects' options, which are also what they accept."""
        # Choices are read once, for the select and for validation alike: one query each.
        # Plain values, not hundreds of Source instances; labelled as Source.__str__ does.
        sources = [
            (str(pk), f"{title} ({outlet})" if outlet else title)
            for pk, title, outlet in Source.objects.order_by("title").values_list(
                "id", "title", "outlet"
            )
        ]
        # Kept for the page's other reviewer select (the queue's bulk form), read once.
        self.reviewers = reviewer_options()
        people = [
            (ME, _("Me")),
            (UNASSIGNED, _("Unassigned")),
            (ASSIGNED, _("Assigned to anyone")),
            *self.reviewers,
        ]
        people.extend(self._former_reviewer(people))
        # Handed over as callables: the form copies its fields deeply, and a list of choices
        # would be copied tuple by tuple on every request.
        self.filters["source"].extra["choices"] = lambda: sources
        self.filters["reviewer"].extra["choices"] = lambda: people
        for name, choices in (("source", sources), ("reviewer", people)):
            empty = str(self.filters[name].extra["empty_label"])
            self.form.fields[name].widget.plain_choices = [("", empty), *choices]

    def _former_reviewer(self, people):
        """The chosen reviewer when not among today's reviewers (deactivated, or no longer in a
        reviewing role) but with assignments on record: their open work still counts on the
        dashboard, which links here. Any other account is not named, so an id typed into the
        URL cannot look up who someone is."""
        chosen = (self.data or {}).get("reviewer", "")
        if not is_row_id(chosen) or any(key == chosen for key, _label in people):
            return []
        user = former_reviewer(int(chosen))
        return [] if user is None else [(chosen, reviewer_label(user))]

    def _reviewer_id(self) -> int | None:
        """The one reviewer the reviewer filter names (``me`` or an id), if it names one."""
        value = self.form.cleaned_data.get("reviewer") if self.is_bound else None
        if not value or value in (UNASSIGNED, ASSIGNED):
            return None
        return self.user.pk if value == ME else int(value)

    def queryset_without(self, *names: str):
        """The queryset under every filter but ``names``, reusing this form's cleaned values."""
        queryset = self.queryset.all()
        if self.is_bound:
            self.form.is_valid()  # as ``qs`` does: invalid fields are left out, not fatal
            for name, value in self.form.cleaned_data.items():
                if name not in names:
                    queryset = self.filters[name].filter(queryset, value)
        return queryset

    def applied_filters(self) -> list[tuple[str, str, str]]:
        """(name, label, value as shown) for each filter that applies, in the form's order.

        Only valid values: a filter left out of the filtering (a mistyped date, an unknown
        reviewer) must not look applied. Choices show their label, as the select does, so a
        reviewer appears by name, never by id; a date is left for the template to format.
        """
        if not self.is_bound:
            return []
        self.form.is_valid()
        applied = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if value in (None, "", False, []):
                continue
            if isinstance(field, forms.ChoiceField):
                value = {str(key): label for key, label in field.choices}.get(str(value))
                if value is None:
                    continue
            elif value is True:
                value = ""
            applied.append((name, field.label, value))
        return applied

    def filter_search(self, queryset, name, value):
        return search_claims(queryset, value)

    def filter_reviewer(self, queryset, name, value: str):
        if value == UNASSIGNED:
            return queryset.filter(open_reviews=0)
        if value == ASSIGNED:
            return queryset.filter(open_reviews__gt=0)
        reviewer_id = self._reviewer_id()
        # A reviewer's or a source's claims are few: IN reads them from the index once, where
        # SQLite would test EXISTS again for every claim (PostgreSQL plans both alike).
        return queryset.filter(
            pk__in=Assignment.objects.filter(
                reviewer_id=reviewer_id, status=AssignmentStatus.OPEN
            ).values("claim_id")
        )

    def filter_source(self, queryset, name, value: str):
        return queryset.filter(
            pk__in=Appearance.objects.filter(source_id=int(value)).values("claim_id")
        )

    def filter_supporting(self, queryset, name, value):
        return (
            queryset.filter(supporting_count__gt=0)
            if value == "yes"
            else queryset.filter(supporting_count=0)
        )

    def filter_contradicting(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(contradicting_count__gt=0)
        return queryset.filter(contradicting_count=0)

    def filter_signoff(self, queryset, name, value):
        return queryset.filter(signoff_waiting_since__isnull=False)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        reviewer_id = self._reviewer_id()
        if reviewer_id is None:
            return queryset.filter(next_due_on__lt=today)
        # With a reviewer chosen, the overdue work is that reviewer's: a claim they are on whose
        # overdue assignment is someone else's is not late on their side.
        overdue = open_assignments().filter(due_on__lt=today, reviewer_id=reviewer_id)
        return queryset.filter(Exists(overdue))

    def filter_created_from(self, queryset, name, value):
        return _on_or_after(queryset, "created_at", value)

    def filter_created_to(self, queryset, name, value):
        return _on_or_before(queryset, "created_at", value)

    def filter_updated_from(self, queryset, name, value):
        return _on_or_after(queryset, "updated_at", value)

    def filter_updated_to(self, queryset, name, value):
        return _on_or_before(queryset, "updated_at", value)

    # Filters the desk dashboard links to: each of its figures opens the queue on its claims.
    verdict = django_filters.ChoiceFilter(
        label=_("Has reached a verdict"),
        choices=_YES_NO[1:],
        method="filter_verdict",
        empty_label=_("Any"),
        widget=PlainSelect,
    )
    verdict_from = django_filters.DateFilter(
        label=_("First verdict from"),
        method="filter_verdict_from",
        widget=_date_input(),
    )
    verdict_to = django_filters.DateFilter(
        label=_("First verdict to"),
        method="filter_verdict_to",
        widget=_date_input(),
    )

    def filter_verdict(self, queryset, name, value):
        return queryset.filter(first_verdict_at__isnull=value != "yes")

    def filter_verdict_from(self, queryset, name, value):
        return _on_or_after(queryset, "first_verdict_at", value)

    def filter_verdict_to(self, queryset, name, value):
        return _on_or_before(queryset, "first_verdict_at", value)

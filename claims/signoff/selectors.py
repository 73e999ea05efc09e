"""Reads of what the desk has published: which verdicts are public, and every correction.

A claim's verdict is public once it is published and not unverified again (``Claim.is_published``
as a query, for the exports); the corrections page lists every correction desk-wide, newest
first, on the partial index ``publication_corrections_idx``.
"""

import datetime
from dataclasses import dataclass

import django_filters
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import pgettext_lazy

from claims import clock
from claims.models import Publication, ReviewState
from claims.selectors.filters import PlainInput
from claims.selectors.paging import CountedPaginator

CORRECTIONS_PAGE_SIZE = 50
# What a row of the corrections page shows: the rest of the rows stays in the database.
_CORRECTION_COLUMNS = (
    "published_at",
    "previous_state",
    "state",
    "correction_note",
    "without_signoff",
    "claim__id",
    "claim__text",
    "claim__claimant",
    *(
        f"{person}__{name}"
        for person in ("proposed_by", "approved_by")
        for name in ("username", "first_name", "last_name")
    ),
)


def published_claims(claims: QuerySet) -> QuerySet:
    """The claims among ``claims`` whose verdict the public sees now (``Claim.is_published``)."""
    return claims.filter(published_at__isnull=False).exclude(state=ReviewState.UNVERIFIED)


def corrections() -> QuerySet:
    """Every correction of a published verdict, newest first."""
    return Publication.objects.filter(is_correction=True).order_by("-published_at", "-id")


def published_on_or_after(rows: QuerySet, day: datetime.date) -> QuerySet:
    """Publications of ``day`` (the desk's day) or later."""
    start = clock.day_start(day)
    return rows if start is None else rows.filter(published_at__gte=start)


def published_on_or_before(rows: QuerySet, day: datetime.date) -> QuerySet:
    """Publications of ``day`` (the desk's day) or earlier."""
    end = clock.day_end(day)
    return rows if end is None else rows.filter(published_at__lt=end)


def corrected_claims(claims: QuerySet, since: datetime.date) -> QuerySet:
    """The claims among ``claims`` with a correction published on ``since`` or later: found on
    the corrections' index rather than by reading every claim."""
    corrected = published_on_or_after(corrections(), since).order_by().values("claim_id")
    return claims.filter(pk__in=corrected)


class CorrectionFilter(django_filters.FilterSet):
    """The corrections page's dates, both days included. A mistyped date is left out (and kept
    in its field with its error, as the queue keeps one) while the other still applies."""

    corrected_from = django_filters.DateFilter(
        label=pgettext_lazy("the first day of a date range", "From"),
        method="filter_from",
        widget=PlainInput("date"),
    )
    corrected_to = django_filters.DateFilter(
        label=pgettext_lazy("the last day of a date range", "To"),
        method="filter_to",
        widget=PlainInput("date"),
    )

    class Meta:
        model = Publication
        fields = []

    def filter_from(self, queryset, name, value):
        return published_on_or_after(queryset, value)

    def filter_to(self, queryset, name, value):
        return published_on_or_before(queryset, value)


@dataclass
class CorrectionList:
    filterset: CorrectionFilter
    page: Page
    total: int

    @property
    def rows(self) -> list[Publication]:
        return self.page.object_list

    def page_range(self):
        return self.page.paginator.get_elided_page_range(
            self.page.number, on_each_side=2, on_ends=1
        )


def desk_corrections(params: QueryDict) -> CorrectionList:
    """The page of the desk's corrections that ``params`` ask for (dates, page), newest first,
    each with its claim and the people who proposed and signed it off: two queries, the count
    and the page."""
    filterset = CorrectionFilter(params, queryset=corrections())
    ids = filterset.qs.values("id")
    page = CountedPaginator(ids, CORRECTIONS_PAGE_SIZE).get_page(params.get("page"))
    # The page's ids are chosen in a subquery that reads only the index (a deep page skips
    # index entries, not rows joined to their claims and people), then just those rows are read.
    page.object_list = list(
        Publication.objects.filter(pk__in=page.object_list)
        .select_related("claim", "proposed_by", "approved_by")
        .only(*_CORRECTION_COLUMNS)
        .order_by("-published_at", "-id")
    )
    return CorrectionList(filterset, page, page.paginator.count)

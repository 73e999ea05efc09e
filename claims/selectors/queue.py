"""The claim queue and a reviewer's queue.

Each fetches in a fixed number of queries, whatever the page size or the filters: counts come
from the counters on the claim row, a page is chosen by id on an index before its rows are read,
and related rows arrive in one prefetch per kind.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Page
from django.db.models import Count, F, Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone

from claims.models import (
    Assignment,
    AssignmentStatus,
    Claim,
    ReviewState,
    StateTally,
)
from claims.permissions import signoff_required
from claims.search import count_by_tab, reads_in_order, search_claims, search_terms
from claims.selectors.filters import (
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    SORTS,
    WAITING,
    WAITING_SORT,
    ClaimFilter,
)
from claims.selectors.paging import CountedPaginator

# The columns a queue row shows; the rest of a claim (rationale, audit head) stays in the database.
QUEUE_COLUMNS = (
    "id",
    "text",
    "claimant",
    "state",
    "supporting_count",
    "contradicting_count",
    "updated_at",
    "created_at",
    "version",  # what a checkbox sends, so a bulk state change is checked against the row seen
    "signoff_waiting_since",  # a waiting claim's row says for how long
)


def open_assignments_prefetch() -> Prefetch:
    """Each claim's open assignments with their reviewers, as ``open_assignments``; the API's
    list reads them as the queue does."""
    # Unordered on purpose: asked to sort by due date, SQLite reads every open assignment in
    # (status, due_on) order instead of the page's few by claim; queue_rows sorts them.
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(status=AssignmentStatus.OPEN)
        .select_related("reviewer")
        .order_by(),
        to_attr="open_assignments",
    )


def soonest_due_first(assignment: Assignment) -> tuple:
    return (assignment.due_on is None, assignment.due_on or date.min, assignment.assigned_at)


@dataclass
class QueueRow:
    """One claim in the queue: its reviewers soonest due first, the earliest due date, and when
    it last changed in the desk's time zone. ``claims.web.presentation`` writes it as HTML."""

    claim: Claim
    reviewers: list = field(default_factory=list)
    due_on: date | None = None
    overdue: bool = False
    changed_at: datetime | None = None
    waiting_since: datetime | None = None


@dataclass
class ClaimQueue:
    filterset: ClaimFilter
    page: Page
    rows: list[QueueRow]
    state_counts: dict[str, int]
    total: int
    sort: str
    page_size: int
    waiting_count: int | None = None  # None: the desk works without sign-off, no such tab

    @property
    def waiting_selected(self) -> bool:
        """Whether the "Waiting for sign-off" tab is the one shown."""
        return _applied_value(self.filterset, "signoff") == WAITING

    @property
    def all_count(self) -> int:
        return sum(self.state_counts.values())

    @property
    def tabs(self) -> list[tuple[str, str, int]]:
        return [(state, label, self.state_counts[state]) for state, label in ReviewState.choices]

    @property
    def selected_state(self) -> str:
        return _applied_value(self.filterset, "state") or ""

    @property
    def tab_sort(self) -> str | None:
        """The sort a state tab's link keeps: the one asked for, except the waiting tab's own
        (None leaves it out of the address)."""
        return None if self.sort == WAITING_SORT else self.filterset.data.get("sort")

    @property
    def all_selected(self) -> bool:
        return not self.selected_state and not self.waiting_selected

    @property
    def chips(self) -> list[dict]:
        """The applied filters, each with the query string that drops it (and the page)."""
        params = self.filterset.data
        chips = []
        for name, label, value in self.filterset.applied_filters():
            remaining = params.copy()
            remaining.pop(name, None)
            remaining.pop("page", None)
            query = remaining.urlencode()
            chips.append(
                {
                    "name": name,
                    "label": label,
                    "value": value,
                    "remove_query": f"?{query}" if query else "",
                }
            )
        return chips

    def page_range(self):
        return self.page.paginator.get_elided_page_range(
            self.page.number, on_each_side=2, on_ends=1
        )


def _applied_value(filterset: ClaimFilter, name: str):
    """The value the filter ``name`` applies, or None.

    An invalid field is left out of the filtering (as ``qs`` leaves it out) while the valid ones
    still apply, so a bad date next to a state must not make the page forget the state.
    """
    filterset.form.is_valid()
    return filterset.form.cleaned_data.get(name)


def _page_size(params: QueryDict) -> int:
    try:
        size = int(params.get("per_page", DEFAULT_PAGE_SIZE))
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def queue_rows(claims: list[Claim], today: date) -> list[QueueRow]:
    """The page's rows: reviewers soonest due first, the earliest due date, local times."""
    zone = timezone.get_current_timezone()
    rows = []
    for claim in claims:
        assignments = sorted(claim.open_assignments, key=soonest_due_first)
        due = min((a.due_on for a in assignments if a.due_on), default=None)
        rows.append(
            QueueRow(
                claim=claim,
                reviewers=[a.reviewer for a in assignments],
                due_on=due,
                overdue=bool(due and due < today),
                changed_at=claim.updated_at.astimezone(zone),
                waiting_since=claim.signoff_waiting_since,
            )
        )
    return rows


def desk_state_counts() -> dict[str, int]:
    """Claims per review state across the desk, from the tally the database keeps: one query."""
    counts = dict.fromkeys(ReviewState.values, 0)
    counts.update(StateTally.objects.filter(state__in=counts).values_list("state", "claims"))
    return counts


# The filters the queue's tabs choose between: a tab's count is under every other filter, and
# following a tab leaves the other tab filter behind (a claim waiting for sign-off keeps its
# state, so "Waiting" is a tab beside the states rather than a narrowing of one).
TAB_FILTERS = ("state", "signoff")


def _narrowing(filterset: ClaimFilter) -> set[str]:
    """The filters other than the tabs' that narrow the claims (a search of punctuation alone
    finds everything, so it narrows nothing)."""
    filterset.form.is_valid()
    return {
        name
        for name, value in filterset.form.cleaned_data.items()
        if name not in TAB_FILTERS
        and value not in (None, "", False, [])
        and (name != "q" or search_terms(value))
    }


def _tab_counts(filterset: ClaimFilter, *, waiting: bool) -> tuple[dict[str, int], int | None]:
    """Claims per state under every filter but the tabs', and (when ``waiting``) how many of
    them wait for sign-off.

    With no other filter that is the whole desk: the tally answers the states without counting
    and the partial index of waiting claims holds only those. A search alone is counted from
    the search index and a narrow copy of the tabs' columns (``search.count_by_tab``). Otherwise
    one grouped query counts the states under the filters, and another the waiting claims.
    """
    narrowing = _narrowing(filterset)
    if not narrowing:
        counts = desk_state_counts()
        if not waiting:
            return counts, None
        return counts, Claim.objects.filter(signoff_waiting_since__isnull=False).count()
    counts = dict.fromkeys(ReviewState.values, 0)
    if narrowing == {"q"}:
        rows = count_by_tab(filterset.form.cleaned_data["q"])
        counts.update((state, claims) for state, claims, _waiting in rows)
        return counts, sum(in_waiting for _state, _claims, in_waiting in rows) if waiting else None
    narrowed = filterset.queryset_without(*TAB_FILTERS).order_by()
    counts.update(narrowed.values_list("state").annotate(n=Count("*")))
    if not waiting:
        return counts, None
    # Apart: the waiting claims are few, read from their partial index, where counting them in
    # the grouping would read every claim's row instead of the filter's index alone.
    return counts, narrowed.filter(signoff_waiting_since__isnull=False).count()


def _queue_sort(params: QueryDict, waiting: bool) -> str:
    """The sort asked for; the "Waiting for sign-off" tab is longest waiting first unless
    another is asked for, and only that tab sorts by waiting time."""
    sort = params.get("sort") or (WAITING_SORT if waiting else "updated")
    if sort not in SORTS or (sort == WAITING_SORT and not waiting):
        return "updated"
    return sort


def _page_source(filterset: ClaimFilter, filtered: QuerySet, total: int, end: int) -> QuerySet:
    """The filtered claims, searched in page order when that is the cheaper way to a page."""
    query = _applied_value(filterset, "q")
    if query and reads_in_order(total, end):
        return search_claims(filterset.queryset_without("q"), query, in_order=True)
    return filtered


def claim_queue(*, user, params: QueryDict) -> ClaimQueue:
    """The filtered, sorted page of the claim queue, with a count per state for the tabs."""
    filterset = ClaimFilter(params, user=user, queryset=Claim.objects.all())
    filtered = filterset.qs

    # The tabs count under the other filters; the selected tab's count is the total.
    selected_state = _applied_value(filterset, "state")
    waiting = _applied_value(filterset, "signoff") == WAITING
    # A desk without sign-off has no waiting tab (unless an address asks for it).
    state_counts, waiting_count = _tab_counts(filterset, waiting=waiting or signoff_required())
    if waiting and selected_state:  # both tabs at once, from an address typed or kept
        total = filtered.count()
    elif waiting:
        total = waiting_count
    elif selected_state:
        total = state_counts.get(selected_state, 0)
    else:
        total = sum(state_counts.values())

    sort = _queue_sort(params, waiting)
    page_size = _page_size(params)
    ordering = SORTS[sort]
    # The page number first (out of range: the last page), then the way to read that page.
    page_number = CountedPaginator(filtered, page_size, count=total).get_page(params.get("page"))
    page_number = page_number.number
    ids = _page_source(filterset, filtered, total, page_size * page_number).order_by(*ordering)
    page = CountedPaginator(ids.values("id"), page_size, count=total).page(page_number)
    # One query for the page: its ids are chosen in a subquery that reads only an index (a deep
    # page skips index entries, not rows), then just those rows are read.
    claims = list(
        Claim.objects.only(*QUEUE_COLUMNS)
        .filter(pk__in=page.object_list)
        .order_by(*ordering)
        .prefetch_related(open_assignments_prefetch())
    )
    page.object_list = claims
    rows = queue_rows(claims, timezone.localdate())
    return ClaimQueue(
        filterset, page, rows, state_counts, total, sort, page_size, waiting_count=waiting_count
    )


def bulk_selection(ids: list[int]) -> tuple[list[Claim], set[int]]:
    """The claims a bulk action names, in the order named, read in one query with what the
    workflow checks before a move and what the result shows; and the ids of those gone since
    the page was shown, which stay in the list as stand-ins for the service to refuse."""
    found = Claim.objects.only(
        "id", "text", "state", "version", "supporting_count", "contradicting_count"
    ).in_bulk(ids)
    missing = {claim_id for claim_id in ids if claim_id not in found}
    return [found.get(claim_id) or Claim(pk=claim_id) for claim_id in ids], missing


def reviewer_queue(user) -> QuerySet:
    """A reviewer's open assignments, soonest due first (no due date last)."""
    return (
        Assignment.objects.filter(reviewer=user, status=AssignmentStatus.OPEN)
        .select_related("claim", "assigned_by")
        .order_by(F("due_on").asc(nulls_last=True), "assigned_at")
    )

"""The desk dashboard's reads: where the desk stands, what is stuck, and what just happened.

Every number is a count over an index or a tally, never a pass over the claims: the per-state
figures come from the tally the database keeps, every other count is a range on an index (the
ones in migration 0009 among them), and all of those counts travel in one statement of scalar
subqueries. The median time to a first verdict is one step along an index ordered by that
time. So the dashboard costs the same seven queries whether the desk holds a hundred claims or
a hundred thousand.

Every figure carries the queue URL that lists the claims behind it.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims import clock
from claims.audit.sentences import describe
from claims.models import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    ReviewState,
    StateTally,
)
from claims.selectors.filters import ASSIGNED, UNASSIGNED
from claims.selectors.people import display_name, name_from_parts
from claims.selectors.queue import desk_state_counts

WEEKS = 12
LIST_LENGTH = 10  # rows in each stalled-work list
ACTIVITY_LENGTH = 20
# Unverified claims by days since creation: (label, youngest, oldest or None for no limit).
AGE_BUCKETS = (
    (gettext_lazy("Under 1 week"), 0, 6),
    (gettext_lazy("1–4 weeks"), 7, 27),
    (gettext_lazy("1–3 months"), 28, 89),
    (gettext_lazy("3–6 months"), 90, 179),
    (gettext_lazy("Over 6 months"), 180, None),
)


def idle_days() -> int:
    """Days without a change after which an unverified claim counts as idle (setting)."""
    return int(getattr(settings, "FACTCHECK_IDLE_DAYS", 14))


def queue_url(**params) -> str:
    """The claim queue filtered by ``params`` (dates as YYYY-MM-DD)."""
    query = {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in params.items()
    }
    return reverse("claims:list") + ("?" + urlencode(query) if query else "")


@dataclass(frozen=True)
class Period:
    """The desk's days from ``first`` to ``last``, both included: what the dashboard's figures
    over a chosen period (the time in each stage) are about."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def recent_weeks(cls, today: datetime.date, weeks: int = WEEKS) -> "Period":
        """The weeks the weekly chart shows: from Monday ``weeks - 1`` weeks ago to today."""
        monday = today - datetime.timedelta(days=today.weekday(), weeks=weeks - 1)
        return cls(monday, today)

    @property
    def start(self) -> datetime.datetime | None:
        """The first moment in the period (None: unbounded)."""
        return clock.day_start(self.first)

    @property
    def end(self) -> datetime.datetime | None:
        """The first moment after it (None: unbounded)."""
        if self.last == datetime.date.max:
            return None
        return clock.day_start(self.last + datetime.timedelta(days=1))

    @property
    def params(self) -> dict[str, str]:
        """The period as the dashboard's query string gives it."""
        return {"since": self.first.isoformat(), "until": self.last.isoformat()}


def _short_day(day: datetime.date) -> str:
    """ "5 Nov": a week's label."""
    return date_format(day, "j M")


@dataclass
class Figure:
    label: str
    value: str
    url: str
    detail: str = ""
    tone: str = ""  # a CSS modifier: "state-corroborated", "alert", ...


@dataclass
class Bar:
    """One category of a chart: its label, one value per series and the queue URL of each."""

    label: str
    values: list[int]
    urls: list[str]
    tone: str = ""
    long_label: str = ""

    @property
    def pairs(self) -> list[tuple[int, str]]:
        return list(zip(self.values, self.urls, strict=True))


@dataclass
class Chart:
    title: str
    description: str
    series: list[str]
    bars: list[Bar]
    value_label: str
    category_label: str


@dataclass
class StalledClaim:
    claim_id: int
    text: str
    url: str
    detail: str
    since: datetime.date


@dataclass
class Activity:
    sentence: str
    at: datetime.datetime
    claim_id: int
    claim_text: str
    url: str


@dataclass
class Dashboard:
    today: datetime.date
    figures: list[Figure]
    weekly: Chart
    states: Chart
    workload: Chart
    ages: Chart
    overdue: list[StalledClaim]
    overdue_total: int
    idle: list[StalledClaim]
    idle_total: int
    idle_days: int
    idle_url: str
    overdue_url: str
    activity: list[Activity] = field(default_factory=list)
    median_delay: datetime.timedelta | None = None


# Counting ------------------------------------------------------------------------------------


class _Counts:
    """Named counts gathered into one statement of scalar subqueries, each a range on an index."""

    def __init__(self):
        self.names: list[str] = []
        self.parts: list[str] = []
        self.params: list = []

    def add(self, name: str, table, where: str, *params) -> None:
        """Count rows of ``table`` matching ``where``."""
        self._add(name, _count_sql(table, where), params)

    def add_remaining_unverified(self, name: str, where: str, *params) -> None:
        """Count the unverified claims *not* matching ``where``: the state's tally less those
        that match, when the matching are the few and the rest the many to count."""
        tally = f"(SELECT claims FROM {StateTally._meta.db_table} WHERE state = %s)"  # noqa: S608
        unverified = ReviewState.UNVERIFIED.value
        sql = f"({tally} - {_count_sql(Claim, f'state = %s AND {where}')})"
        self._add(name, sql, [unverified, unverified, *params])

    def _add(self, name: str, sql: str, params) -> None:
        self.names.append(name)
        self.parts.append(sql)
        self.params.extend(params)

    def run(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(self.parts), self.params)
            row = cursor.fetchone()
        return {name: int(value or 0) for name, value in zip(self.names, row, strict=True)}


def _count_sql(table, where: str) -> str:
    # Tables and conditions are this module's constants; every value is a parameter.
    return f"(SELECT COUNT(*) FROM {table._meta.db_table} WHERE {where})"  # noqa: S608


def _at(moment: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(moment)


def _on(day: datetime.date):
    return connection.ops.adapt_datefield_value(day)


def _desk_counts(today: datetime.date, week_starts: list[datetime.date], idle: int) -> dict:
    counts = _Counts()
    for index, start in enumerate(week_starts):
        begin, end = (
            _at(clock.day_start(start)),
            _at(clock.day_start(start + datetime.timedelta(days=7))),
        )
        counts.add(f"created{index}", Claim, "created_at >= %s AND created_at < %s", begin, end)
        counts.add(
            f"verdicts{index}",
            Claim,
            "first_verdict_at >= %s AND first_verdict_at < %s",
            begin,
            end,
        )
    counts.add("with_verdict", Claim, "first_verdict_at IS NOT NULL")
    unverified = ReviewState.UNVERIFIED.value
    for index, (_label, youngest, oldest) in enumerate(AGE_BUCKETS):
        # Younger than ``youngest`` days: created after the start of the day youngest days ago.
        before = _at(clock.day_start(today - datetime.timedelta(days=youngest - 1)))
        if oldest is None:
            counts.add(f"age{index}", Claim, "state = %s AND created_at < %s", unverified, before)
        else:
            since = _at(clock.day_start(today - datetime.timedelta(days=oldest)))
            counts.add(
                f"age{index}",
                Claim,
                "state = %s AND created_at >= %s AND created_at < %s",
                unverified,
                since,
                before,
            )
    # Idle: unchanged since before the cutoff, most unverified claims; those changed since are
    # the few to count. In the same statement as the tally, so both are of one moment.
    counts.add_remaining_unverified(
        "idle", "updated_at >= %s", _at(clock.day_start(today - datetime.timedelta(days=idle - 1)))
    )
    # The open and overdue assignments themselves are the workload's sums (reviewer_workload).
    # The claims behind them, from what each claim row keeps of its open assignments (0010).
    counts.add("assigned_claims", Claim, "open_reviews > 0")
    counts.add("overdue_claims", Claim, "next_due_on < %s", _on(today))
    # Only unverified claims wait for a reviewer; a range on the (state, open_reviews) index.
    counts.add("unassigned", Claim, "state = %s AND open_reviews = 0", unverified)
    return counts.run()


def median_time_to_verdict(with_verdict: int) -> datetime.timedelta | None:
    """The median of (first verdict - creation) over claims with a verdict, in one query.

    The database reads the middle one or two entries of the index on that difference
    (migration 0009), skipping the rest; the ORDER BY repeats the index's expression exactly,
    or the database would sort every verdict instead.
    """
    if not with_verdict:
        return None
    if connection.vendor == "sqlite":
        delay = "julianday(first_verdict_at) - julianday(created_at)"
        sql = f"SELECT ({delay}) * 86400.0 FROM claims_claim"  # noqa: S608 (constants)
    else:
        delay = "(first_verdict_at - created_at)"
        sql = f"SELECT EXTRACT(EPOCH FROM {delay}) FROM claims_claim"  # noqa: S608 (constants)
    sql += f" WHERE first_verdict_at IS NOT NULL ORDER BY {delay} LIMIT %s OFFSET %s"
    middle = 1 if with_verdict % 2 else 2
    with connection.cursor() as cursor:
        cursor.execute(sql, [middle, (with_verdict - 1) // 2])
        seconds = [float(value) for (value,) in cursor.fetchall()]
    return datetime.timedelta(seconds=round(sum(seconds) / len(seconds)))


def describe_duration(delay: datetime.timedelta | None) -> str:
    """ "3 days, 4 hours", "5 hours, 20 minutes": two units are as precise as a desk needs."""
    if delay is None:
        return "–"
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    return timesince(start, start + delay, depth=2)


# Lists ---------------------------------------------------------------------------------------


def reviewer_workload(today: datetime.date) -> list[dict]:
    """Open and overdue assignments per reviewer with open work, names included: one query.

    Two counts per reviewer on the (reviewer, status, due_on) index instead of grouping every
    open assignment; reviewers are few.
    """
    open_work = Assignment.objects.filter(
        reviewer=OuterRef("pk"), status=AssignmentStatus.OPEN
    ).order_by()

    def counted(queryset):
        return Coalesce(
            Subquery(
                queryset.values("reviewer").annotate(n=Count("*")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    people = (
        get_user_model()
        .objects.annotate(
            open_count=counted(open_work),
            overdue_count=counted(open_work.filter(due_on__lt=today)),
        )
        .order_by("-overdue_count", "-open_count", "first_name", "last_name", "username")
        .values("id", "username", "first_name", "last_name", "open_count", "overdue_count")
    )
    # Those without open work are left out here: a filter in SQL would count everything again.
    return [
        {
            "id": person["id"],
            "name": name_from_parts(person["first_name"], person["last_name"], person["username"]),
            "open": person["open_count"],
            "overdue": person["overdue_count"],
        }
        for person in people
        if person["open_count"]
    ]


def _overdue_assignments(today: datetime.date) -> list[StalledClaim]:
    """The longest-overdue open assignments, oldest due date first, on the (status, due) index."""
    assignments = (
        Assignment.objects.filter(status=AssignmentStatus.OPEN, due_on__lt=today)
        .select_related("claim", "reviewer")
        .only(
            "due_on",
            "claim__id",
            "claim__text",
            "reviewer__username",
            "reviewer__first_name",
            "reviewer__last_name",
        )
        .order_by("due_on", "id")[:LIST_LENGTH]
    )
    rows = []
    for assignment in assignments:
        late = (today - assignment.due_on).days
        rows.append(
            StalledClaim(
                claim_id=assignment.claim_id,
                text=str(assignment.claim),
                url=assignment.claim.get_absolute_url(),
                detail=ngettext(
                    "%(reviewer)s, %(days)s day late", "%(reviewer)s, %(days)s days late", late
                )
                % {"reviewer": display_name(assignment.reviewer), "days": late},
                since=assignment.due_on,
            )
        )
    return rows


def _idle_claims(today: datetime.date, idle: int) -> list[StalledClaim]:
    """Unverified claims unchanged the longest, on the (state, updated_at) index."""
    cutoff = clock.day_start(today - datetime.timedelta(days=idle - 1))
    claims = (
        Claim.objects.filter(state=ReviewState.UNVERIFIED, updated_at__lt=cutoff)
        .only("id", "text", "updated_at")
        .order_by("updated_at")[:LIST_LENGTH]
    )
    rows = []
    for claim in claims:
        changed = timezone.localdate(claim.updated_at)
        days = (today - changed).days
        rows.append(
            StalledClaim(
                claim_id=claim.pk,
                text=str(claim),
                url=claim.get_absolute_url(),
                detail=ngettext("no change for %(days)s day", "no change for %(days)s days", days)
                % {"days": days},
                since=changed,
            )
        )
    return rows


def recent_activity(limit: int = ACTIVITY_LENGTH) -> list[Activity]:
    """The desk's latest audit events as sentences, newest first, on the recent-events index."""
    events = (
        AuditEvent.objects.select_related("claim")
        .only(
            "claim__id",
            "claim__text",
            "action",
            "actor_id",
            "actor_name",
            "created_at",
            "data",
        )
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        Activity(
            sentence=describe(event),
            at=event.created_at,
            claim_id=event.claim_id,
            claim_text=str(event.claim),
            url=reverse("claims:detail", kwargs={"pk": event.claim_id}),
        )
        for event in events
    ]


# The dashboard -------------------------------------------------------------------------------


def _claims_count(count: int) -> str:
    return ngettext("%(count)s claim", "%(count)s claims", count) % {"count": f"{count:,}"}


def desk_dashboard(today: datetime.date | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries (seven)."""
    today = today or timezone.localdate()
    idle = idle_days()
    this_week = today - datetime.timedelta(days=today.weekday())
    week_starts = [this_week - datetime.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]

    states = desk_state_counts()
    counts = _desk_counts(today, week_starts, idle)
    median = median_time_to_verdict(counts["with_verdict"])
    workload = reviewer_workload(today)
    # Every assignment has a reviewer, and the workload counts every account's.
    counts["open"] = sum(person["open"] for person in workload)
    counts["overdue"] = sum(person["overdue"] for person in workload)
    idle_cutoff = today - datetime.timedelta(days=idle)
    return Dashboard(
        today=today,
        figures=_state_figures(states) + _work_figures(counts, median, this_week),
        weekly=_weekly_chart(counts, week_starts),
        states=_state_chart(states),
        workload=_workload_chart(workload),
        ages=_age_chart(counts, today),
        overdue=_overdue_assignments(today),
        overdue_total=counts["overdue"],
        overdue_url=queue_url(overdue="on"),
        idle=_idle_claims(today, idle),
        idle_total=counts["idle"],
        idle_days=idle,
        idle_url=queue_url(state=ReviewState.UNVERIFIED.value, updated_to=idle_cutoff),
        activity=recent_activity(),
        median_delay=median,
    )


def _state_figures(states: dict[str, int]) -> list[Figure]:
    total = sum(states.values())
    return [
        Figure(
            str(label),
            f"{states[state]:,}",
            queue_url(state=state),
            _("%(share)s%% of %(claims)s")
            % {
                "share": states[state] * 100 // total if total else 0,
                "claims": _claims_count(total),
            },
            f"state-{state}",
        )
        for state, label in ReviewState.choices
    ]


def _work_figures(counts: dict, median, this_week: datetime.date) -> list[Figure]:
    return [
        Figure(
            _("Open assignments"),
            f"{counts['open']:,}",
            queue_url(reviewer=ASSIGNED),
            _("on %(claims)s") % {"claims": _claims_count(counts["assigned_claims"])},
        ),
        Figure(
            _("Overdue assignments"),
            f"{counts['overdue']:,}",
            queue_url(overdue="on"),
            _("on %(claims)s") % {"claims": _claims_count(counts["overdue_claims"])},
            "alert" if counts["overdue"] else "",
        ),
        Figure(
            _("Claims with no reviewer"),
            f"{counts['unassigned']:,}",
            queue_url(state=ReviewState.UNVERIFIED.value, reviewer=UNASSIGNED),
            _("unverified, no open assignment"),
        ),
        Figure(
            _("Median time to first verdict"),
            describe_duration(median),
            queue_url(verdict="yes"),
            _("over %(claims)s with a verdict") % {"claims": _claims_count(counts["with_verdict"])},
        ),
        Figure(
            _("Verdicts this week"),
            f"{counts[f'verdicts{WEEKS - 1}']:,}",
            queue_url(verdict_from=this_week),
            _("first verdicts since Monday %(day)s") % {"day": _short_day(this_week)},
        ),
    ]


def _weekly_chart(counts: dict, week_starts: list[datetime.date]) -> Chart:
    week = datetime.timedelta(days=6)
    return Chart(
        title=ngettext(
            "Claims created and verdicts reached, last %(weeks)s week",
            "Claims created and verdicts reached, last %(weeks)s weeks",
            WEEKS,
        )
        % {"weeks": WEEKS},
        description=_("Per week, Monday to Sunday; the last week is the current one."),
        series=[_("Claims created"), _("First verdicts")],
        bars=[
            Bar(
                label=_short_day(start),
                long_label=_("week of %(day)s") % {"day": date_format(start, "j M Y")},
                values=[counts[f"created{index}"], counts[f"verdicts{index}"]],
                urls=[
                    queue_url(created_from=start, created_to=start + week),
                    queue_url(verdict_from=start, verdict_to=start + week),
                ],
            )
            for index, start in enumerate(week_starts)
        ],
        value_label=_("Claims"),
        category_label=_("Week starting"),
    )


def _state_chart(states: dict[str, int]) -> Chart:
    labels = dict(ReviewState.choices)
    return Chart(
        title=_("Claims by review state"),
        description=_("All %(claims)s on the desk.")
        % {"claims": _claims_count(sum(states.values()))},
        series=[_("Claims")],
        bars=[
            Bar(
                label=str(labels[state]),
                values=[states[state]],
                urls=[queue_url(state=state)],
                tone=f"state-{state}",
            )
            for state in ReviewState.values
        ],
        value_label=_("Claims"),
        category_label=_("Review state"),
    )


def _workload_chart(workload: list[dict]) -> Chart:
    return Chart(
        title=_("Reviewer workload"),
        description=_("Open assignments per reviewer, and how many of them are overdue."),
        series=[_("Open"), _("Overdue")],
        bars=[
            Bar(
                label=person["name"],
                values=[person["open"], person["overdue"]],
                urls=[
                    queue_url(reviewer=person["id"]),
                    queue_url(reviewer=person["id"], overdue="on"),
                ],
            )
            for person in workload
        ],
        value_label=_("Assignments"),
        category_label=_("Reviewer"),
    )


def _age_chart(counts: dict, today: datetime.date) -> Chart:
    ages = []
    for index, (label, youngest, oldest) in enumerate(AGE_BUCKETS):
        params = {"state": ReviewState.UNVERIFIED.value}
        if oldest is not None:
            params["created_from"] = today - datetime.timedelta(days=oldest)
        params["created_to"] = today - datetime.timedelta(days=youngest)
        ages.append(
            Bar(label=str(label), values=[counts[f"age{index}"]], urls=[queue_url(**params)])
        )
    return Chart(
        title=_("Age of unverified claims"),
        description=_("Unverified claims by time since they were created."),
        series=[_("Unverified claims")],
        bars=ages,
        value_label=_("Claims"),
        category_label=_("Age"),
    )

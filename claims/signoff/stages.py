"""Time in each stage of a verdict over a period, for the desk and for each person who proposed.

Three stages, each a span of one claim's history that counts in the period in which it ends:

- creation to first proposal: from the claim's creation to the first verdict proposed for it;
- proposal to sign-off: from a proposal to its sign-off, for every proposal signed off
  (corrections too);
- creation to publication: from the claim's creation to its verdict's first publication.

A span belongs to the person who proposed: the first proposal's proposer, the signed-off
proposal's, the published verdict's (for a verdict published without sign-off, whoever moved
it). Spans of people whose account is gone count for the desk only.

The spans are the rows the database keeps in ``StageSpan`` from the proposal and publication
rows (triggers, migration 0019), not parsed out of the events: ``verdict_propose`` writes its
``Proposal`` and ``verdict_sign_off`` the decision and the ``Publication`` in the transaction that
records ``verdict.proposed`` and ``verdict.approved``, at the same clock, as ``claim_create``
writes ``created_at`` with ``claim.created``; tests/signoff/test_stages.py replays a desk and
seeds one and checks that the two agree. Rows can be read as one index range per period, with
the proposer and the seconds in the index, while the events keep the proposal and its proposer
inside JSON, and the verdicts published before sign-off existed (migration 0016) have no
publication event at all. An imported claim's creation is the time it came with, as the queue
and the rest of the dashboard count it.

Median and 90th percentile are nearest-rank: of n spans sorted shortest first, the p-th
percentile is the one at rank ceil(p * n / 100). Each figure is then one claim's real time (the
median of an even count is the lower of the middle two). Neither database ranks tens of
thousands of rows quickly enough for a dashboard (SQLite's window functions took over 200 ms
for a twelve-week period at 100,000 claims): the database hands over each proposer's seconds in
a stage as one text, read from the index alone, and Python sorts each proposer's and finds the
desk's figures among those sorted lists without merging them.
"""

import datetime
import json
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_lazy

from claims.models import Stage, StageSpan
from claims.selectors.dashboard import Period, describe_duration
from claims.selectors.people import display_name, name_from_parts

MEDIAN, TOP_DECILE = 50, 90
SLOWEST = 25  # claims listed behind each figure
STAGES = tuple(Stage)
# What the two ends of each stage's span are called where its claims are listed.
BOUNDS = {
    Stage.PROPOSAL: (gettext_lazy("Created"), gettext_lazy("First proposed")),
    Stage.SIGNOFF: (gettext_lazy("Proposed"), gettext_lazy("Signed off")),
    Stage.PUBLICATION: (gettext_lazy("Created"), gettext_lazy("Published")),
}


def nearest_rank(percent: int, count: int) -> int:
    """The rank (from 1, shortest first) of the ``percent``-th percentile of ``count`` spans:
    ceil(percent * count / 100), in integers."""
    return (percent * count + 99) // 100


@dataclass(frozen=True)
class Figures:
    """One stage's spans for one row: how many, their median and 90th percentile, and the page
    listing the slowest of them."""

    stage: Stage
    count: int = 0
    median: datetime.timedelta | None = None
    top_decile: datetime.timedelta | None = None
    url: str = ""

    @property
    def median_words(self) -> str:
        return describe_duration(self.median)

    @property
    def top_decile_words(self) -> str:
        return describe_duration(self.top_decile)


@dataclass
class StageRow:
    """The desk's figures (``person_id`` None) or one proposer's, a Figures per stage."""

    person_id: int | None
    name: str
    figures: list[Figures] = field(default_factory=list)


@dataclass
class StageTimes:
    period: Period
    desk: StageRow
    people: list[StageRow]

    @property
    def rows(self) -> list[StageRow]:
        """The desk's row, then each proposer's."""
        return [self.desk, *self.people]

    @property
    def is_empty(self) -> bool:
        return not any(figures.count for figures in self.desk.figures)


def slowest_url(stage: str, period: Period, person_id: int | None = None) -> str:
    """The page that lists the slowest claims of ``stage`` in ``period`` (of one proposer)."""
    query = dict(period.params)
    if person_id is not None:
        query["reviewer"] = str(person_id)
    return reverse("claims:stage_slowest", kwargs={"stage": stage}) + "?" + urlencode(query)


# Reading the spans ------------------------------------------------------------------------------


def _in_period(period: Period) -> tuple[str, list]:
    """SQL that keeps the spans ending in ``period`` (an end the calendar cannot reach bounds
    nothing), with its parameters."""
    parts, params = [], []
    adapt = connection.ops.adapt_datetimefield_value
    if period.start is not None:
        parts.append("ended_at >= %s")
        params.append(adapt(period.start))
    if period.end is not None:
        parts.append("ended_at < %s")
        params.append(adapt(period.end))
    return " AND ".join(parts) or "TRUE", params


def _joined(column: str) -> str:
    """SQL aggregating ``column`` (integers) into one comma-separated text."""
    if connection.vendor == "postgresql":
        return f"string_agg({column}::text, ',')"
    return f"group_concat({column})"


def _seconds_by_person(stages, period: Period) -> tuple[dict[str, dict[int, list[int]]], dict]:
    """Each stage's spans in ``period`` as sorted seconds per proposer (0: an account gone), and
    the proposers' names: one query.

    Naming every person (``IN`` the user table) turns the (stage, person, ended_at, seconds)
    index into one range per stage and person, read in the order the grouping needs, so the
    database reads only the period's entries and sorts nothing; each group comes back as one
    text of its seconds, which Python splits and sorts faster than either database ranks.
    """
    within, params = _in_period(period)
    stage_list = ", ".join(["%s"] * len(stages))
    spans, users = StageSpan._meta.db_table, get_user_model()._meta.db_table
    seconds = _joined("seconds")
    name = ", ".join(
        f"(SELECT {column} FROM {users} WHERE id = person_id)"  # noqa: S608 (as below)
        for column in ("first_name", "last_name", "username")
    )
    # Tables, columns and aggregates are this module's; values are parameters.
    sql = (
        f"SELECT stage, person_id, {seconds}, {name} FROM {spans} "  # noqa: S608
        f"WHERE stage IN ({stage_list}) AND person_id IN (SELECT id FROM {users}) AND {within} "
        "GROUP BY stage, person_id UNION ALL "
        f"SELECT stage, 0, {seconds}, '', '', '' FROM {spans} "
        f"WHERE stage IN ({stage_list}) AND person_id IS NULL AND {within} GROUP BY stage"
    )
    stage_values = [str(stage) for stage in stages]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*stage_values, *params] * 2)
        rows = cursor.fetchall()
    found: dict[str, dict[int, list[int]]] = defaultdict(dict)
    names = {}
    for stage, person, joined, *parts in rows:
        # Read as a JSON array: the C parser is twice as fast as splitting and int().
        found[stage][person] = sorted(json.loads(f"[{joined}]"))
        if person:
            names[person] = name_from_parts(*parts)
    return found, names


def ranked(runs: list[list[int]], rank: int) -> int:
    """The value at ``rank`` (from 1, smallest first) among sorted lists, without merging them:
    halving the range of values, each step counts the values up to a bound by bisection. The
    first bound that counts ``rank`` of them is that value."""
    if len(runs) == 1:
        return runs[0][rank - 1]
    low, high = min(run[0] for run in runs), max(run[-1] for run in runs)
    while low < high:
        middle = (low + high) // 2
        if sum(bisect_right(run, middle) for run in runs) >= rank:
            high = middle
        else:
            low = middle + 1
    return low


def _figures(stage: str, runs: list[list[int]], url: str) -> Figures:
    """The figures of the spans (seconds) in ``runs``, sorted lists (one per proposer)."""
    runs = [run for run in runs if run]
    count = sum(map(len, runs))
    if not count:
        return Figures(stage=Stage(stage), url=url)
    median, top_decile = (
        datetime.timedelta(seconds=ranked(runs, nearest_rank(percent, count)))
        for percent in (MEDIAN, TOP_DECILE)
    )
    return Figures(stage=Stage(stage), count=count, median=median, top_decile=top_decile, url=url)


def stage_times(period: Period, stages=STAGES) -> StageTimes:
    """Count, median and 90th percentile of each stage in ``period``, for the desk and for each
    proposer (by name), in one query."""
    found, names = _seconds_by_person(stages, period)
    # slowest_url's addresses, reversed once per stage rather than once per figure.
    desk_urls = {stage: slowest_url(stage, period) for stage in stages}

    def row(person_id: int | None) -> StageRow:
        figures = []
        for stage in stages:
            by_person = found.get(stage, {})
            runs = [by_person.get(person_id, [])] if person_id else list(by_person.values())
            url = desk_urls[stage] + (f"&reviewer={person_id}" if person_id else "")
            figures.append(_figures(stage, runs, url))
        return StageRow(person_id=person_id, name=names.get(person_id, ""), figures=figures)

    known = sorted(names, key=lambda person: (names[person].casefold(), person))
    return StageTimes(period=period, desk=row(None), people=[row(person) for person in known])


# The slowest claims behind a figure ------------------------------------------------------------


@dataclass(frozen=True)
class SlowClaim:
    claim_id: int
    text: str
    url: str
    person: str
    started: datetime.datetime
    ended: datetime.datetime
    duration: datetime.timedelta

    @property
    def duration_words(self) -> str:
        return describe_duration(self.duration)


def slowest_claims(
    stage: str, period: Period, person_id: int | None = None, limit: int = SLOWEST
) -> list[SlowClaim]:
    """The ``limit`` longest spans of ``stage`` ending in ``period`` (of one proposer), longest
    first, with their claims and proposers: one query over the period's range of the index."""
    spans = StageSpan.objects.filter(stage=stage)
    if period.start is not None:
        spans = spans.filter(ended_at__gte=period.start)
    if period.end is not None:
        spans = spans.filter(ended_at__lt=period.end)
    if person_id is not None:
        spans = spans.filter(person_id=person_id)
    order = ("-seconds", "-claim_id", "-id")
    # The longest chosen from the index first, so that only they are joined to their claims.
    longest = spans.order_by(*order).values("id")[:limit]
    spans = (
        StageSpan.objects.filter(pk__in=longest)
        .select_related("claim", "person")
        .only(
            "started_at",
            "ended_at",
            "seconds",
            "claim__id",
            "claim__text",
            "person__username",
            "person__first_name",
            "person__last_name",
        )
        .order_by(*order)
    )
    return [
        SlowClaim(
            claim_id=span.claim_id,
            text=str(span.claim),
            url=span.claim.get_absolute_url(),
            person=display_name(span.person) if span.person else "",
            started=span.started_at,
            ended=span.ended_at,
            duration=datetime.timedelta(seconds=span.seconds),
        )
        for span in spans
    ]

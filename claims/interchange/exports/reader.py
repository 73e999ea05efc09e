"""The one read behind every export: the claims the queue's filters select, streamed in chunks.

Ids are read first in the chosen order (one query, a few bytes per claim); then each chunk of
claims arrives with its related rows in one query per kind, so the queries grow with the number
of chunks, never with the number of claims, and memory holds one chunk at a time.

Rows are read as plain values into small records rather than model instances: an export reads
every evidence link and audit event of a desk, and building and joining model instances for
them would cost far more than reading them. Users (a desk has few) are read once.

Each query is compiled by hand once and run again for every chunk (``_Statement``): no
maintained library reuses a queryset's SQL with new ids, nor skips Django's per-value converters.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import BooleanField, DateField, DateTimeField, Func, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import QueryDict
from django.urls import reverse

from claims.audit.actions import COMMENT_EVENTS
from claims.models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    Comment,
    Evidence,
    Publication,
    ReviewState,
)
from claims.selectors.claim_page import a_colleagues_judgement
from claims.selectors.comments import hidden_comment_authors_by_claim
from claims.selectors.filters import SORTS, ClaimFilter
from claims.signoff.selectors import corrected_claims, published_claims

# Claims read at a time with all their related rows: an export holds one chunk's histories in
# memory at once, so the chunk sets its peak memory.
CHUNK_SIZE = 250

# What a format may ask for besides the claim's own fields.
APPEARANCES = "appearances"
EVIDENCE = "evidence"  # every link, retracted ones included, with all their fields
STANDING_URLS = "standing_urls"  # only the URLs of standing links: all the CSV needs
ASSIGNMENTS = "assignments"
REVIEWERS = "reviewers"  # only the names of those assigned and not withdrawn: all the CSV needs
HISTORY = "history"
CORRECTIONS = "corrections"  # each correction of a published verdict, oldest first
EVERYTHING = frozenset({APPEARANCES, EVIDENCE, ASSIGNMENTS, HISTORY, CORRECTIONS})
# The claim's internal discussion, hidden comments included (with who hid them and why): only a
# format for the desk asks for it, never one for the public.
COMMENTS = "comments"
# Evidence, assignments and history as the database's rows, tuples of EVIDENCE_COLUMNS,
# ASSIGNMENT_COLUMNS and HISTORY_COLUMNS (user ids as they are, see ``user_refs``), not records:
# the JSON export writes each of a desk's many such rows once, and a record made of each only
# to be written would cost as much again.
ROWS = "rows"
# Not a kind of row: dates and times arrive as the ISO 8601 text the files write (times in UTC,
# ``+00:00``) instead of date and datetime objects, which a file would only format back.
ISO_TIMES = "iso_times"
# With ISO_TIMES: times to the whole second (``2025-05-22T13:06:16+00:00``), for a file people
# read in a spreadsheet, where six digits of fraction are only noise.
WHOLE_SECONDS = "whole_seconds"


@dataclass(slots=True, frozen=True)
class UserRef:
    username: str
    name: str


@dataclass(slots=True)
class SourceRecord:
    title: str
    url: str
    outlet: str
    author: str
    published_on: date | None
    text: str


@dataclass(slots=True)
class AppearanceRecord:
    quote: str
    source: SourceRecord


@dataclass(slots=True)
class EvidenceRecord:
    id: int
    stance: str
    url: str
    title: str = ""
    publisher: str = ""
    excerpt: str = ""
    note: str = ""
    added_by: UserRef | None = None
    added_at: datetime | None = None
    retracted_at: datetime | None = None
    retracted_by: UserRef | None = None
    retraction_reason: str = ""

    @property
    def is_standing(self) -> bool:
        return self.retracted_at is None


@dataclass(slots=True)
class AssignmentRecord:
    reviewer: UserRef | None
    assigned_by: UserRef | None
    assigned_at: datetime
    due_on: date | None
    status: str
    closed_at: datetime | None
    closed_by: UserRef | None
    close_reason: str


@dataclass(slots=True)
class EventRecord:
    sequence: int
    action: str
    actor_name: str
    created_at: datetime
    data_json: str  # as stored: the JSON export copies it without decoding it
    previous_hash: str
    hash: str
    actor_id: int | None = None  # not exported: whose judgement a blind reviewer may not see

    @property
    def data(self) -> dict:
        return json.loads(self.data_json) if self.data_json else {}


@dataclass(slots=True)
class CommentRecord:
    id: int
    author: UserRef | None
    created_at: datetime
    edited_at: datetime | None
    text: str
    hidden_at: datetime | None
    hidden_by: UserRef | None
    hidden_reason: str
    author_id: int | None = None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


@dataclass(slots=True)
class CorrectionRecord:
    """A correction of a published verdict: when it was published, from what to what, and the
    public note that says why."""

    published_at: datetime
    previous_state: str
    state: str
    previous_rationale: str
    rationale: str
    correction_note: str
    proposed_by: UserRef | None
    approved_by: UserRef | None
    without_signoff: bool


@dataclass(slots=True)
class ClaimRecord:
    """A claim as the exports see it, with the related rows its format asked for.

    With ``ISO_TIMES`` every date and time here and in the related records is ISO 8601 text;
    with ``ROWS`` evidence, assignments and history hold the database's rows, not records.
    """

    pk: int
    text: str
    claimant: str
    claimed_on: date | None
    state: str
    rationale: str
    created_by: UserRef | None
    created_at: datetime
    updated_at: datetime
    state_changed_at: datetime | None
    first_verdict_at: datetime | None
    published_at: datetime | None  # the verdict's first publication
    corrected_at: datetime | None  # its latest correction
    supporting_count: int
    contradicting_count: int
    path: str
    appearances: list[AppearanceRecord] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    assignments: list[AssignmentRecord] = field(default_factory=list)
    history: list[EventRecord] = field(default_factory=list)
    corrections: list[CorrectionRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)  # COMMENTS, oldest first
    urls: dict[str, list[str]] = field(default_factory=dict)  # STANDING_URLS, by stance
    reviewers: list[str] = field(default_factory=list)  # REVIEWERS

    def get_absolute_url(self) -> str:
        return self.path

    def get_state_display(self) -> str:
        return str(ReviewState(self.state).label)

    @property
    def is_published(self) -> bool:
        """As ``Claim.is_published``: a verdict the public sees now."""
        return self.published_at is not None and self.state != ReviewState.UNVERIFIED

    def standing_urls(self, stance: str) -> list[str]:
        if self.urls:
            return self.urls.get(stance, [])
        return [e.url for e in self.evidence if e.stance == stance and e.retracted_at is None]

    def reviewer_names(self) -> list[str]:
        """Everyone assigned to the claim and not withdrawn, in assignment order, once each."""
        if self.reviewers:
            return self.reviewers
        names = []
        for assignment in self.assignments:
            if assignment.status == AssignmentStatus.WITHDRAWN or assignment.reviewer is None:
                continue
            if assignment.reviewer.name not in names:
                names.append(assignment.reviewer.name)
        return names


@dataclass(frozen=True)
class ExportSelection:
    """What to export: the claims' ids in order, and the filters and sort that chose them.

    ``back_url`` is the queue page showing the same claims, for a report read in the browser
    to link back to; empty when the export is written to a file. ``corrected_since`` is the
    day the claims were corrected since, when that chose them too; ``claims`` the query that
    chose them when it is narrower than the filters. ``user`` is who downloads it, when a
    person does: a reviewer judging an independent review blind gets it without the comments
    (and their events) that the claim page keeps from them.
    """

    ids: list[int]
    filterset: ClaimFilter | None = None
    sort: str | None = None
    back_url: str = ""
    corrected_since: date | None = None
    claims: QuerySet | None = None
    user: object = None

    def __len__(self) -> int:
        return len(self.ids)

    def all_have_verdicts(self) -> bool:
        """Whether there are claims and none of them is unverified, for the report's title: no
        query when the state filter answers, else one; False for ids chosen without filters."""
        if not self.ids or self.filterset is None:
            return False
        self.filterset.is_valid()  # as ``qs`` does: invalid fields are left out, not fatal
        state = self.filterset.form.cleaned_data.get("state")
        if state:
            return state != ReviewState.UNVERIFIED
        claims = self.filterset.qs if self.claims is None else self.claims
        return not claims.filter(state=ReviewState.UNVERIFIED).exists()


def export_filterset(params: QueryDict, *, user=None) -> ClaimFilter:
    """The queue's own filters over all claims, from the same GET-style parameters."""
    return ClaimFilter(params, user=user, queryset=Claim.objects.all())


def export_selection(
    *,
    params: QueryDict,
    user=None,
    strict: bool = False,
    back_url: str = "",
    published_only: bool = False,
    corrected_since: date | None = None,
    filterset: ClaimFilter | None = None,
) -> ExportSelection:
    """The ids of the claims the filters select, ordered as the queue orders them.

    ``strict`` refuses invalid filter values (the command); otherwise they are left out, as the
    queue leaves them out, so a download holds exactly what the page shows. Without a ``sort``
    parameter claims come oldest first, by id, which keeps files stable between runs.
    ``published_only`` keeps the claims whose verdict is public (what ClaimReview publishes),
    ``corrected_since`` those with a correction published on that day or later. ``filterset``
    is the queue's filters over ``params`` as the caller made them (the API's take any row id).
    """
    if filterset is None:
        filterset = export_filterset(params, user=user)
    if strict and filterset.is_bound and not filterset.is_valid():
        raise ValidationError(dict(filterset.form.errors.items()), code="invalid")
    sort = params.get("sort") if params.get("sort") in SORTS else None
    order = SORTS[sort] if sort else ("id",)
    claims = narrowed = filterset.qs
    if published_only:
        narrowed = published_claims(narrowed)
    if corrected_since is not None:
        narrowed = corrected_claims(narrowed, corrected_since)
    with small_page_cache():
        ids = list(narrowed.order_by(*order).values_list("id", flat=True))
    return ExportSelection(
        ids,
        filterset,
        sort,
        back_url,
        corrected_since,
        claims=None if narrowed is claims else narrowed,
        user=user,
    )


def _datetime_from_sqlite(value):
    # SQLite holds aware datetimes as naive UTC (its driver may already have parsed them).
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=UTC)


def _date_from_sqlite(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _isoformat(value):
    return value.isoformat() if value is not None else None


def _isoformat_seconds(value):
    return value.isoformat(timespec="seconds") if value is not None else None


class _SQLiteISOTime(Func):
    """A stored time as ISO 8601 text in UTC, made by SQLite itself.

    Django stores an aware datetime on SQLite as ``str()`` of it in naive UTC
    (``2025-05-22 13:06:16.702047``, no fraction when it is zero), so a ``T`` for the space
    and ``+00:00`` after it is exactly what ``isoformat()`` of the aware datetime gives.
    NULL stays NULL.
    """

    template = "(REPLACE(%(expressions)s, ' ', 'T') || '+00:00')"
    output_field = TextField()


class _SQLiteISOSeconds(_SQLiteISOTime):
    """The same to the whole second: the stored text's first 19 characters are the date and
    the time up to its seconds (the year is always four digits), any fraction follows."""

    template = "(REPLACE(SUBSTR(%(expressions)s, 1, 19), ' ', 'T') || '+00:00')"


class _Statement:
    """One query of a chunk, compiled once and run for every chunk of the same size.

    ``build(ids)`` makes the queryset; it is compiled with stand-ins for the ids, which each run
    replaces by the chunk's own, so the ORM's work is done once per kind of row rather than once
    per chunk. Dates and times are read without Django's converters: it converts each value
    through several Python calls (settings lookups included), a cost paid for every timestamp of
    a desk's evidence and history.
    PostgreSQL's driver already returns dates and aware datetimes; SQLite returns text, parsed
    here, or with ``iso_times`` turned into ISO 8601 text by SQLite so that no row passes through
    Python at all. Every other column comes back as the driver gives it (strings, integers, None).
    """

    def __init__(
        self, build, count: int, fields: tuple[str, ...], *, iso_times: bool, whole_seconds: bool
    ):
        queryset = build([_ID] * count)
        self.connection = connections[queryset.db]
        self.converters = []
        if self.connection.vendor == "sqlite":
            # Read as plain text (a cast hides the column's declared type from the driver,
            # which would otherwise parse each timestamp in Python).
            model, columns, casts = queryset.model, [], {}
            for index, name in enumerate(fields):
                target = _field(model, name)
                if isinstance(target, DateTimeField):
                    if iso_times:
                        expression = (_SQLiteISOSeconds if whole_seconds else _SQLiteISOTime)(name)
                    else:
                        expression = Cast(name, output_field=TextField())
                        self.converters.append((index, _datetime_from_sqlite))
                elif isinstance(target, DateField):
                    expression = Cast(name, output_field=TextField())  # already ISO 8601
                    if not iso_times:
                        self.converters.append((index, _date_from_sqlite))
                else:
                    columns.append(name)
                    continue
                alias = f"export_text_{index}"
                casts[alias] = expression
                columns.append(alias)
            queryset = queryset.annotate(**casts).values_list(*columns)
        else:
            if iso_times:
                model = queryset.model
                for index, name in enumerate(fields):
                    target = _field(model, name)
                    if isinstance(target, DateTimeField) and whole_seconds:
                        self.converters.append((index, _isoformat_seconds))
                    elif isinstance(target, DateField):  # DateTimeField is one too
                        self.converters.append((index, _isoformat))
            queryset = queryset.values_list(*fields)
        self.sql, self.params = queryset.query.get_compiler(queryset.db).as_sql()

    def rows(self, ids: list[int]) -> list:
        chunk_ids = iter(ids)
        params = [next(chunk_ids) if value is _ID else value for value in self.params]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            for position, row in enumerate(rows):  # in place: a chunk's rows are held once
                row = list(row)
                for index, convert in self.converters:
                    row[index] = convert(row[index])
                rows[position] = row
        return rows


class _IdStandIn:
    """Where a chunk's ids go in a compiled statement's parameters."""


_ID = _IdStandIn()


def _field(model, name: str):
    """The model field a values_list name ends in (``source__published_on``); None if not one."""
    *path, last = name.split("__")
    for step in path:
        model = model._meta.get_field(step).related_model
    try:
        return model._meta.get_field(last)
    except FieldDoesNotExist:
        return None


def _of_claims(model, ids: list, column: str = "claim_id"):
    """``model`` rows of these claims: ``column IN (ids)``, the ids passed as they are.

    ``filter(claim_id__in=ids)`` would prepare each id through several Python calls.
    """
    quote = connections[model.objects.db].ops.quote_name
    placeholders = ",".join(["%s"] * len(ids)) or "NULL"
    condition = f"{quote(model._meta.db_table)}.{quote(column)} IN ({placeholders})"
    return model.objects.filter(RawSQL(condition, ids, output_field=BooleanField()))  # noqa: S611


def user_refs() -> dict[int, UserRef]:
    """Every user by id, as the exports name them (a desk has few: they are read once)."""
    return {
        pk: UserRef(username, f"{first} {last}".strip() or username)
        for pk, username, first, last in get_user_model().objects.values_list(
            "id", "username", "first_name", "last_name"
        )
    }


# Each kind of row: the queryset over a chunk's claim ids, and the columns read from it.
def _claims(ids):
    return _of_claims(Claim, ids, "id")


_CLAIM_COLUMNS = (
    "id",
    "text",
    "claimant",
    "claimed_on",
    "state",
    "rationale",
    "created_by_id",
    "created_at",
    "updated_at",
    "state_changed_at",
    "first_verdict_at",
    "published_at",
    "corrected_at",
    "supporting_count",
    "contradicting_count",
)


def _appearances(ids):
    return _of_claims(Appearance, ids).order_by("id")


_APPEARANCE_COLUMNS = (
    "claim_id",
    "quote",
    "source_id",
    "source__title",
    "source__url",
    "source__outlet",
    "source__author",
    "source__published_on",
    "source__text",
)


def _evidence(ids):
    return _of_claims(Evidence, ids).order_by("added_at", "id")


EVIDENCE_COLUMNS = (
    "claim_id",
    "id",
    "stance",
    "url",
    "title",
    "publisher",
    "excerpt",
    "note",
    "added_by_id",
    "added_at",
    "retracted_at",
    "retracted_by_id",
    "retraction_reason",
)


def _standing(ids):
    return _of_claims(Evidence, ids).filter(retracted_at__isnull=True).order_by("added_at", "id")


_STANDING_COLUMNS = ("claim_id", "stance", "url")


def _assignments(ids):
    return _of_claims(Assignment, ids).order_by("assigned_at", "id")


ASSIGNMENT_COLUMNS = (
    "claim_id",
    "reviewer_id",
    "assigned_by_id",
    "assigned_at",
    "due_on",
    "status",
    "closed_at",
    "closed_by_id",
    "close_reason",
)


def _reviewers(ids):
    return (
        _of_claims(Assignment, ids)
        .exclude(status=AssignmentStatus.WITHDRAWN)
        .filter(reviewer__isnull=False)
        .order_by("assigned_at", "id")
    )


_REVIEWER_COLUMNS = ("claim_id", "reviewer_id")


def _history(ids):
    return (
        _of_claims(AuditEvent, ids)
        .order_by("claim_id", "sequence")
        .annotate(data_json=Cast("data", output_field=TextField()))
    )


HISTORY_COLUMNS = (
    "claim_id",
    "sequence",
    "action",
    "actor_name",
    "created_at",
    "data_json",
    "previous_hash",
    "hash",
    "actor_id",  # last, and left out of every format: what hides a colleague's judgement
)


def _corrections(ids):
    # The claim's index (claim, published_at) finds them; most claims have none.
    return _of_claims(Publication, ids).filter(is_correction=True).order_by("published_at", "id")


_CORRECTION_COLUMNS = (
    "claim_id",
    "published_at",
    "previous_state",
    "state",
    "previous_rationale",
    "rationale",
    "correction_note",
    "proposed_by_id",
    "approved_by_id",
    "without_signoff",
)


def _comments(ids):
    return _of_claims(Comment, ids).order_by("claim_id", "created_at", "id")


_COMMENT_COLUMNS = (
    "claim_id",
    "id",
    "author_id",
    "created_at",
    "edited_at",
    "text",
    "hidden_at",
    "hidden_by_id",
    "hidden_reason",
)


def _action_and_data(event) -> tuple[str, dict]:
    """An event's action and data, from a HISTORY_COLUMNS row or an EventRecord."""
    if isinstance(event, EventRecord):
        return event.action, event.data
    data_json = event[5]
    return event[2], json.loads(data_json) if data_json else {}


class _Reader:
    def __init__(
        self, include: Iterable[str], hidden_authors: dict[int, frozenset[int]], reader_id=None
    ):
        self.include = frozenset(include)
        # By claim, whose comments (and judgements) the person downloading may not read yet.
        self.hidden_authors = hidden_authors
        self.reader_id = reader_id
        self.iso_times = ISO_TIMES in self.include
        self.whole_seconds = WHOLE_SECONDS in self.include
        self.statements: dict[tuple, _Statement] = {}
        self.users = user_refs()
        # One reverse() for all claims: the path is the same but for the number.
        marker = 987654321
        self.path = reverse("claims:detail", kwargs={"pk": marker}).split(str(marker))

    def user(self, pk):
        return self.users.get(pk) if pk is not None else None

    def rows(self, build, columns: tuple[str, ...], ids: list[int]) -> list:
        key = (build, len(ids))
        statement = self.statements.get(key)
        if statement is None:
            statement = _Statement(
                build,
                len(ids),
                columns,
                iso_times=self.iso_times,
                whole_seconds=self.whole_seconds,
            )
            self.statements[key] = statement
        return statement.rows(ids)

    def chunk(self, ids: list[int]) -> dict[int, ClaimRecord]:
        user, before, after = self.user, *self.path
        claims = {
            row[0]: ClaimRecord(*row[:6], user(row[6]), *row[7:], path=f"{before}{row[0]}{after}")
            for row in self.rows(_claims, _CLAIM_COLUMNS, ids)
        }
        include = self.include
        if APPEARANCES in include:
            self._appearances(claims, ids)
        if ROWS in include:
            for kind, build, columns in (
                (EVIDENCE, _evidence, EVIDENCE_COLUMNS),
                (ASSIGNMENTS, _assignments, ASSIGNMENT_COLUMNS),
                (HISTORY, _history, HISTORY_COLUMNS),
            ):
                if kind in include:
                    self._plain_rows(claims, kind, build, columns, ids)
            include = include - {EVIDENCE, ASSIGNMENTS, HISTORY}
        if EVIDENCE in include:
            self._evidence(claims, ids)
        elif STANDING_URLS in include:
            self._standing_urls(claims, ids)
        if ASSIGNMENTS in include:
            self._assignments(claims, ids)
        elif REVIEWERS in include:
            self._reviewers(claims, ids)
        if HISTORY in include:
            self._history(claims, ids)
        if CORRECTIONS in include:
            self._corrections(claims, ids)
        if COMMENTS in include:
            self._comments(claims, ids)
        if self.hidden_authors:
            self._leave_out_hidden_comments(claims)
        return claims

    def _plain_rows(self, claims, kind, build, columns, ids):
        # The kinds are named as the claim's lists.
        lists = {pk: getattr(claim, kind) for pk, claim in claims.items()}
        for row in self.rows(build, columns, ids):
            rows = lists.get(row[0])
            if rows is not None:  # history outlives claims
                rows.append(row)

    def _appearances(self, claims, ids):
        sources: dict[int, SourceRecord] = {}
        for claim_id, quote, source_id, *source in self.rows(
            _appearances, _APPEARANCE_COLUMNS, ids
        ):
            if source_id not in sources:
                sources[source_id] = SourceRecord(*source)
            claims[claim_id].appearances.append(AppearanceRecord(quote, sources[source_id]))

    def _evidence(self, claims, ids):
        user = self.user
        for claim_id, pk, stance, url, title, publisher, excerpt, note, *rest in self.rows(
            _evidence, EVIDENCE_COLUMNS, ids
        ):
            added_by, added_at, retracted_at, retracted_by, reason = rest
            claims[claim_id].evidence.append(
                EvidenceRecord(
                    pk,
                    stance,
                    url,
                    title,
                    publisher,
                    excerpt,
                    note,
                    user(added_by),
                    added_at,
                    retracted_at,
                    user(retracted_by),
                    reason,
                )
            )

    def _standing_urls(self, claims, ids):
        by_claim_and_stance = defaultdict(list)
        for claim_id, stance, url in self.rows(_standing, _STANDING_COLUMNS, ids):
            by_claim_and_stance[claim_id, stance].append(url)
        for (claim_id, stance), urls in by_claim_and_stance.items():
            claims[claim_id].urls[stance] = urls

    def _assignments(self, claims, ids):
        user = self.user
        for claim_id, reviewer, assigned_by, assigned_at, due_on, status, *rest in self.rows(
            _assignments, ASSIGNMENT_COLUMNS, ids
        ):
            closed_at, closed_by, reason = rest
            claims[claim_id].assignments.append(
                AssignmentRecord(
                    user(reviewer),
                    user(assigned_by),
                    assigned_at,
                    due_on,
                    status,
                    closed_at,
                    user(closed_by),
                    reason,
                )
            )

    def _reviewers(self, claims, ids):
        users = self.users
        for claim_id, reviewer in self.rows(_reviewers, _REVIEWER_COLUMNS, ids):
            names, ref = claims[claim_id].reviewers, users.get(reviewer)
            if ref is not None and ref.name not in names:
                names.append(ref.name)

    def _history(self, claims, ids):
        by_claim = defaultdict(list)
        for claim_id, *event in self.rows(_history, HISTORY_COLUMNS, ids):
            by_claim[claim_id].append(EventRecord(*event))
        for claim_id, events in by_claim.items():
            if claim_id in claims:  # history outlives claims
                claims[claim_id].history = events

    def _corrections(self, claims, ids):
        user = self.user
        for claim_id, published_at, *texts, proposed_by, approved_by, without in self.rows(
            _corrections, _CORRECTION_COLUMNS, ids
        ):
            claims[claim_id].corrections.append(
                CorrectionRecord(
                    published_at, *texts, user(proposed_by), user(approved_by), bool(without)
                )
            )

    def _comments(self, claims, ids):
        user = self.user
        for claim_id, pk, author, created_at, edited_at, text, *rest in self.rows(
            _comments, _COMMENT_COLUMNS, ids
        ):
            hidden_at, hidden_by, reason = rest
            claims[claim_id].comments.append(
                CommentRecord(
                    pk,
                    user(author),
                    created_at,
                    edited_at,
                    text,
                    hidden_at,
                    user(hidden_by),
                    reason,
                    author,
                )
            )

    def _leave_out_hidden_comments(self, claims):
        """A blind review's other reviewers' comments, and the events of their comments and
        of colleagues' judgements, left out: what the claim page's timeline leaves out."""
        for claim_id, authors in self.hidden_authors.items():
            claim = claims.get(claim_id)
            if claim is None:
                continue
            claim.comments = [c for c in claim.comments if c.author_id not in authors]
            claim.history = [
                event for event in claim.history if not _hidden(event, authors, self.reader_id)
            ]


def _hidden(event, authors: frozenset[int], reader_id) -> bool:
    """Is ``event`` one a blind reviewer may not read: a comment of one of ``authors``, or a
    colleague's judgement (``claim_page.a_colleagues_judgement``)?"""
    action, data = _action_and_data(event)
    if action in COMMENT_EVENTS:
        return data.get("author_id") in authors
    actor_id = event.actor_id if isinstance(event, EventRecord) else event[8]
    return a_colleagues_judgement(action, data, actor_id, reader_id)


def iter_claims(
    selection: ExportSelection,
    *,
    include: Iterable[str] = EVERYTHING,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[ClaimRecord]:
    """Each selected claim with the related rows ``include`` names, in the selection's order.

    A claim deleted since its id was read is skipped.
    """
    include = frozenset(include)
    hidden = {}
    if include & {COMMENTS, HISTORY}:
        hidden = hidden_comment_authors_by_claim(selection.user)
    reader = _Reader(include, hidden, getattr(selection.user, "pk", None))
    ids = selection.ids
    with small_page_cache():
        for start in range(0, len(ids), chunk_size):
            chunk = ids[start : start + chunk_size]
            claims = reader.chunk(chunk)
            for pk in chunk:
                claim = claims.get(pk)
                if claim is not None:
                    yield claim


# KiB, as SQLite's negative cache_size counts it.
EXPORT_PAGE_CACHE_KIB = 8 * 1024


@contextmanager
def small_page_cache():
    """A smaller SQLite page cache while an export (or import) runs, the connection's own
    restored after.

    The desk's large cache keeps the queue's indexes warm; an export reads each page about once,
    and filling that cache with a whole table would only add its size to the export's memory.
    """
    connection = connections[Claim.objects.db]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(EXPORT_PAGE_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")

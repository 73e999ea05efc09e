"""Replaying a claim's events to what its rows must say, to catch a row changed behind the services.

The hash chain and the checkpoints prove the events were not rewritten; they say nothing of the
rows the pages and exports show. Every service that changes those rows records what it wrote
in its event, so folding a claim's events in order gives its text, claimant, state and
rationale, its standing evidence (each link's URL and stance) and its open assignments; a row
that differs was changed without an event: by SQL, the admin's raw tools or a bug.

Imported claims begin with one ``claim.imported`` event that lists their standing links by
stance and URL (their rows' ids are given only as they are written); a link no event names must
be one of those. Imports recorded before that list counted their links only: as many links no
event names are accepted.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q

from claims.models import Assignment, AssignmentStatus, Claim, Evidence

from .actions import AuditAction

VERDICTS = frozenset(
    {AuditAction.CLAIM_STATE_CHANGED, AuditAction.VERDICT_APPROVED, AuditAction.CLAIM_IMPORTED}
)
CLOSINGS = frozenset({AuditAction.REVIEWER_COMPLETED, AuditAction.REVIEWER_WITHDRAWN})


@dataclass
class Expected:
    """A claim's rows as its events leave them."""

    text: str = ""
    claimant: str = ""
    state: str = "unverified"
    rationale: str = ""
    links: dict[int, tuple[str, str]] = field(default_factory=dict)  # id: (url, stance)
    imported_links: Counter = field(default_factory=Counter)  # (url, stance): how many
    uncounted_links: int = 0  # imported before the import listed its links
    open_assignments: dict[int, int] = field(default_factory=dict)  # id: reviewer id


def replay(events) -> Expected:
    """Fold one claim's events, in sequence order (rows with AuditEvent's field names)."""
    expected = Expected()
    for event in events:
        action, data = event.action, event.data or {}
        new = data.get("new") or {}
        if action in (AuditAction.CLAIM_CREATED, AuditAction.CLAIM_IMPORTED):
            expected.text = new.get("text", "")
            expected.claimant = new.get("claimant", "")
            if "standing_links" in new:
                expected.imported_links = Counter(
                    (url, stance) for stance, url in new["standing_links"]
                )
            else:
                expected.uncounted_links = int(new.get("evidence") or 0)
        elif action == AuditAction.CLAIM_EDITED:
            expected.text = new.get("text", expected.text)
            expected.claimant = new.get("claimant", expected.claimant)
        if action in VERDICTS and "state" in new:
            expected.state = new["state"]
            expected.rationale = new.get("rationale", "")
        elif action == AuditAction.EVIDENCE_ADDED:
            expected.links[data["evidence_id"]] = (new.get("url", ""), new.get("stance", ""))
        elif action == AuditAction.EVIDENCE_RETRACTED:
            if expected.links.pop(data.get("evidence_id"), None) is None:
                imported = (data.get("url", ""), data.get("stance", ""))
                if expected.imported_links[imported] > 0:
                    expected.imported_links[imported] -= 1
                else:
                    expected.uncounted_links -= 1
        elif action == AuditAction.REVIEWER_ASSIGNED:
            expected.open_assignments[data["assignment_id"]] = new.get("reviewer_id")
        elif action in CLOSINGS:
            expected.open_assignments.pop(data.get("assignment_id"), None)
    return expected


@dataclass
class Rows:
    """What the tables hold for one claim."""

    claim: tuple | None = None  # (text, claimant, state, rationale)
    links: dict[int, tuple[str, str]] = field(default_factory=dict)
    open_assignments: dict[int, int] = field(default_factory=dict)


def differences(claim_id: int, expected: Expected, rows: Rows) -> list[str]:
    """Each way the rows differ from the events, in words that name the row."""
    found = []
    if rows.claim is None:
        return found  # a deleted claim: its history is checked for its links only
    for name, held in zip(("text", "claimant", "state", "rationale"), rows.claim, strict=True):
        if held != getattr(expected, name):
            found.append(f"claim {claim_id}: its {name} is not what its events recorded")
    imported, uncounted = Counter(expected.imported_links), expected.uncounted_links
    for link_id, (url, stance) in sorted(rows.links.items()):
        recorded = expected.links.get(link_id)
        if recorded is None:
            if imported[(url, stance)] > 0:
                imported[(url, stance)] -= 1
            elif uncounted > 0:
                uncounted -= 1
            else:
                found.append(
                    f"claim {claim_id}: evidence {link_id} ({url}) stands, but no event added it"
                )
        elif recorded != (url, stance):
            found.append(
                f"claim {claim_id}: evidence {link_id} is {stance} {url}, but its event recorded "
                f"{recorded[1]} {recorded[0]}"
            )
    for link_id in sorted(set(expected.links) - set(rows.links)):
        found.append(
            f"claim {claim_id}: evidence {link_id} was retracted or removed without an event"
        )
    if rows.open_assignments != expected.open_assignments:
        for assignment_id in sorted(set(rows.open_assignments) | set(expected.open_assignments)):
            held = rows.open_assignments.get(assignment_id)
            recorded = expected.open_assignments.get(assignment_id)
            if held == recorded:
                continue
            if recorded is None:
                what = "is open, but its events never opened it or closed it"
            elif held is None:
                what = "is closed or gone, but its events leave it open"
            else:
                what = f"names reviewer {held}, but its event assigned reviewer {recorded}"
            found.append(f"claim {claim_id}: assignment {assignment_id} {what}")
    return found


class RowsByClaim:
    """The claims' rows in claim order, read as three streams merged by claim id, so a replay
    of every claim reads each table once (``rows(claim_id)`` must be asked in rising order)."""

    def __init__(
        self, chunk_size: int = 5000, claim_ids=None, low: int = 0, high: int | None = None
    ):
        narrow = Q(pk__gte=low) if claim_ids is None else Q(pk__in=claim_ids)
        by_claim = Q(claim_id__gte=low) if claim_ids is None else Q(claim_id__in=claim_ids)
        if high is not None:
            narrow &= Q(pk__lt=high)
            by_claim &= Q(claim_id__lt=high)
        self._claims = _peekable(
            Claim.objects.filter(narrow)
            .order_by("pk")
            .values_list("pk", "text", "claimant", "state", "rationale")
            .iterator(chunk_size=chunk_size)
        )
        self._links = _peekable(
            Evidence.objects.filter(by_claim, retracted_at__isnull=True)
            .order_by("claim_id", "pk")
            .values_list("claim_id", "pk", "url", "stance")
            .iterator(chunk_size=chunk_size)
        )
        self._assignments = _peekable(
            Assignment.objects.filter(by_claim, status=AssignmentStatus.OPEN)
            .order_by("claim_id", "pk")
            .values_list("claim_id", "pk", "reviewer_id")
            .iterator(chunk_size=chunk_size)
        )

    def rows(self, claim_id: int) -> Rows:
        rows = Rows()
        for pk, *values in self._claims.upto(claim_id):
            if pk == claim_id:
                rows.claim = tuple(values)
        for owner, pk, url, stance in self._links.upto(claim_id):
            if owner == claim_id:
                rows.links[pk] = (url, stance)
        for owner, pk, reviewer_id in self._assignments.upto(claim_id):
            if owner == claim_id:
                rows.open_assignments[pk] = reviewer_id
        return rows


class _peekable:
    """An iterator of rows whose first column rises, taken up to a given value at a time."""

    def __init__(self, rows: Iterator[tuple]):
        self._rows = rows
        self._next = next(rows, None)

    def upto(self, key: int) -> Iterator[tuple]:
        """The rows whose first column is at most ``key`` (those below it belong to claims with
        no events, which ``verify_all`` reports on its own)."""
        while self._next is not None and self._next[0] <= key:
            row, self._next = self._next, next(self._rows, None)
            yield row

"""CSV: one row per claim, for spreadsheets; cells a spreadsheet would run as a formula are defused.

Lists inside a cell (evidence URLs, reviewers) are one item per line: a URL or a name never holds
a line break, so the cell splits back unambiguously (``import_claims`` reads this format).
Times are ISO 8601 in UTC. ``verdict_date`` is when the current verdict was given (the claim's
``state_changed_at``), ``first_verdict_date`` when the claim first got any verdict; both are empty
while a claim is unverified.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from ..models import ReviewState, Stance
from .selector import ISO_TIMES, REVIEWERS, STANDING_URLS, ClaimRecord

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
INCLUDE = frozenset({STANDING_URLS, REVIEWERS, ISO_TIMES})

COLUMNS = (
    "id",
    "text",
    "claimant",
    "claim_date",
    "state",
    "rationale",
    "supporting_count",
    "contradicting_count",
    "supporting_urls",
    "contradicting_urls",
    "reviewers",
    "verdict_date",
    "first_verdict_date",
    "created_at",
    "last_change",
)
LIST_SEPARATOR = "\n"
ROWS_PER_CHUNK = 500
_FREE_TEXT = tuple(
    COLUMNS.index(name)
    for name in (
        "text",
        "claimant",
        "rationale",
        "supporting_urls",
        "contradicting_urls",
        "reviewers",
    )
)

# OWASP "CSV Injection": a cell starting with one of these may be run as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    """Prefix a would-be formula with a single quote, so a spreadsheet shows it as text."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def unneutralize(value: str) -> str:
    """The cell as it was before ``neutralize``."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def claim_row(claim: ClaimRecord) -> list:
    verdict = claim.state != ReviewState.UNVERIFIED
    cells = [
        claim.pk,
        claim.text,
        claim.claimant,
        claim.claimed_on or "",
        claim.state,
        claim.rationale,
        claim.supporting_count,
        claim.contradicting_count,
        LIST_SEPARATOR.join(claim.standing_urls(Stance.SUPPORTS)),
        LIST_SEPARATOR.join(claim.standing_urls(Stance.CONTRADICTS)),
        LIST_SEPARATOR.join(claim.reviewer_names()),
        (claim.state_changed_at or "") if verdict else "",
        (claim.first_verdict_at or "") if verdict else "",
        claim.created_at,
        claim.updated_at,
    ]
    # Only the free text can start with a formula; ids, states, counts and ISO dates cannot.
    for index in _FREE_TEXT:
        cells[index] = neutralize(cells[index])
    return cells


def render(claims: Iterable[ClaimRecord]) -> Iterator[str]:
    """The CSV text, header first, a few hundred rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for count, claim in enumerate(claims, start=1):
        writer.writerow(claim_row(claim))
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()

"""CSV: one row per claim, for spreadsheets; cells a spreadsheet would run as a formula are defused.

Every cell is quoted: a spreadsheet whose list separator is ``;`` (or a tab) splits a line there,
but not inside quotes, so a cell such as ``x;=cmd|...`` stays one cell instead of starting
another with ``=``. A cell that starts a formula itself gets a leading ``'`` (``neutralize``).

The file is made for Excel as much as for programs. It starts with a UTF-8 byte-order mark,
without which Excel on Windows reads it in the system's code page (UTF-8 readers strip it, as
``import_claims`` does). Times are ISO 8601 in UTC to the whole second: a fraction of a second
is only noise in a spreadsheet. Lists inside a cell (evidence URLs, reviewers) are joined by
``"; "``, not line breaks, which Excel shows only once the row is resized by hand.

The lists split back unambiguously: a URL may hold ``;``, even at its end, but a stored evidence
URL never holds a space (``claims.urlnorm.HttpURLValidator`` refuses one), so each ``"; "`` ends
an item; ``import_claims`` splits at line breaks too, as earlier exports wrote the lists.
Reviewers are names, for people to read; the import does not read them.

``verdict_date`` is when the current verdict was given (the claim's ``state_changed_at``),
``first_verdict_date`` when the claim first got any verdict; both are empty while a claim is
unverified. ``published_at`` is the verdict's first publication and ``corrected_at`` its latest
correction; ``corrections`` lists each correction, oldest first, as ``time: from → to: note``
(states as in the ``state`` column), joined by ``"; "`` like the other lists. It is for people
to read: the note is free text, which may hold ``"; "`` itself, and the rationales are not in
it, so ``import_claims`` reads only the two times; the JSON export carries corrections whole.
"""

import csv
from collections.abc import Iterable, Iterator

from claims.interchange.exports.reader import (
    CORRECTIONS,
    ISO_TIMES,
    REVIEWERS,
    STANDING_URLS,
    WHOLE_SECONDS,
    ClaimRecord,
    ExportSelection,
)
from claims.models import ReviewState, Stance

NAME = "csv"
CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
INCLUDE = frozenset({STANDING_URLS, REVIEWERS, CORRECTIONS, ISO_TIMES, WHOLE_SECONDS})
PUBLISHED_ONLY = False

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
    "published_at",
    "corrected_at",
    "corrections",
)
LIST_SEPARATOR = "; "
BYTE_ORDER_MARK = "\ufeff"
ROWS_PER_CHUNK = 500

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


def corrections_cell(claim: ClaimRecord) -> str:
    """Each correction as ``time: from → to: note``, oldest first, joined as the lists are."""
    return LIST_SEPARATOR.join(
        f"{c.published_at}: {c.previous_state} → {c.state}: {c.correction_note}"
        for c in claim.corrections
    )


def claim_row(claim: ClaimRecord) -> tuple:
    verdict = claim.state != ReviewState.UNVERIFIED
    # Only the free text can start with a formula; ids, states, counts and ISO dates cannot,
    # nor the corrections, which start with a time.
    return (
        claim.pk,
        neutralize(claim.text),
        neutralize(claim.claimant),
        claim.claimed_on or "",
        claim.state,
        neutralize(claim.rationale),
        claim.supporting_count,
        claim.contradicting_count,
        neutralize(LIST_SEPARATOR.join(claim.standing_urls(Stance.SUPPORTS))),
        neutralize(LIST_SEPARATOR.join(claim.standing_urls(Stance.CONTRADICTS))),
        neutralize(LIST_SEPARATOR.join(claim.reviewer_names())),
        (claim.state_changed_at or "") if verdict else "",
        (claim.first_verdict_at or "") if verdict else "",
        claim.created_at,
        claim.updated_at,
        claim.published_at or "",
        claim.corrected_at or "",
        corrections_cell(claim),
    )


class _Lines(list):
    """What ``csv.writer`` writes to: its lines, kept to be joined a chunk at a time (a
    ``StringIO`` emptied after each chunk copies every later line through a slower buffer)."""

    write = list.append


def render(claims: Iterable[ClaimRecord], *, selection: ExportSelection) -> Iterator[str]:
    """The CSV text, byte-order mark and header first, a few hundred rows per chunk."""
    lines = _Lines([BYTE_ORDER_MARK])
    writer = csv.writer(lines, quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for count, claim in enumerate(claims, start=1):
        writer.writerow(claim_row(claim))
        if count % ROWS_PER_CHUNK == 0:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)

"""Claims read from the CSV export (``exports.csv``), a row at a time.

The CSV carries a claim's own fields, when its verdict was first published and last corrected,
and its standing evidence URLs by stance; sources, retracted links, who added them and the
corrections themselves (the CSV's ``corrections`` cell is for people) are only in the JSON export.
"""

import csv
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.interchange.exports.csv import LIST_SEPARATOR, unneutralize
from claims.interchange.imports.check import check_claim
from claims.interchange.imports.fields import MAX_COUNT, RecordFields
from claims.interchange.imports.records import (
    ImportedClaim,
    ImportedEvidence,
    ImportFileError,
    RecordProblems,
)
from claims.models import Stance

REQUIRED_COLUMNS = ("text", "claimant", "state")
URL_COLUMNS = (("supporting_urls", Stance.SUPPORTS), ("contradicting_urls", Stance.CONTRADICTS))
# A list cell's items: joined by LIST_SEPARATOR, or one per line as exports before it wrote them
# (see ``exports.csv`` for why neither can occur inside a URL).
LIST_ITEMS = re.compile(f"{re.escape(LIST_SEPARATOR)}|\n")
# A CSV cell may be as long as a text column holds (PostgreSQL: 1 GB), so the export's own
# files read back; Python's csv module stops at 131,072 characters by default.
CSV_FIELD_LIMIT = 2**30


def csv_claims(handle) -> Iterator[ImportedClaim | RecordProblems]:
    """Each row's claim, or its problems; ``ImportFileError`` when the file stops being CSV."""
    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        yield from _records(handle)
    finally:
        csv.field_size_limit(previous_limit)


def _malformed(line: int, error: csv.Error) -> ImportFileError:
    return ImportFileError(
        [_("line %(line)d: malformed CSV: %(error)s") % {"line": line, "error": error}]
    )


def _records(handle) -> Iterator[ImportedClaim | RecordProblems]:
    reader = csv.DictReader(handle)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise _malformed(1, error) from error
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        message = ngettext(
            "line 1: missing column %(columns)s",
            "line 1: missing columns %(columns)s",
            len(missing),
        )
        raise ImportFileError([message % {"columns": ", ".join(missing)}])
    end = reader.line_num
    while True:
        try:
            data = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _malformed(end + 1, error) from error
        # A record may span lines (a list of URLs); it is named by the line it starts on.
        line, end = end + 1, reader.line_num
        if None in data:
            message = _("line %(line)d: more cells than columns") % {"line": line}
            yield RecordProblems(line, [message])
            continue
        yield _claim(line, {name: unneutralize(value or "") for name, value in data.items()})


def _claim(line: int, data: dict) -> ImportedClaim | RecordProblems:
    fields = RecordFields(line)
    claim = ImportedClaim(
        line=line,
        original_id=fields.integer(data, "id"),
        text=fields.text(data, "text", required=True),
        claimant=fields.text(data, "claimant", required=True),
        state=fields.state(data.get("state", "")),
        claimed_on=fields.date(data, "claim_date"),
        rationale=fields.text(data, "rationale"),
        created_at=fields.time(data, "created_at"),
        state_changed_at=fields.time(data, "verdict_date"),
        first_verdict_at=fields.time(data, "first_verdict_date"),
        published_at=fields.time(data, "published_at"),
        corrected_at=fields.time(data, "corrected_at"),
    )
    for name in ("supporting_count", "contradicting_count"):
        fields.integer(data, name, minimum=0, maximum=MAX_COUNT)
    for column, stance in URL_COLUMNS:
        for url in LIST_ITEMS.split(data.get(column) or ""):
            if url.strip():
                claim.evidence.append(
                    ImportedEvidence(stance, url.strip(), fields.evidence_url(url, column))
                )
    return check_claim(fields, claim) or claim

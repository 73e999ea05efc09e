"""Reading claims back from the CSV and JSON exports, for ``import_claims``.

A file is read twice: once to validate everything, collecting every problem with its line and
field, and, only if there was none, again inside the import's one transaction (see
``services.claim_import``). Neither pass holds the whole file: rows are parsed one at a time.

What comes back: the claims with their text, claimant, date, state, rationale, verdict dates,
sources (JSON; matched to sources already on file by URL) and evidence links (JSON: all of
them, retracted ones with their reason; CSV: the standing URLs by stance). Reviewers and the
original audit history do not come back: people are accounts on a desk, not names in a file,
and a hash chain cannot move to new claim numbers. Each imported claim starts a new chain with a
``claim.imported`` event that names the file, its line and the claim's number there.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from .exports.csv import LIST_SEPARATOR, unneutralize
from .models import Claim, Evidence, ReviewState, Source, Stance
from .urlnorm import normalize_url

CSV_REQUIRED = ("text", "claimant", "state")
# Column lengths the database holds (PostgreSQL refuses longer values; SQLite would keep them).
_LIMITS = {
    "claimant": Claim._meta.get_field("claimant").max_length,
    "title": Evidence._meta.get_field("title").max_length,
    "publisher": Evidence._meta.get_field("publisher").max_length,
    "url": Evidence._meta.get_field("url").max_length,
    "outlet": Source._meta.get_field("outlet").max_length,
    "author": Source._meta.get_field("author").max_length,
}
MAX_ERRORS = 200


@dataclass
class ImportedSource:
    title: str
    url: str = ""
    outlet: str = ""
    author: str = ""
    published_on: date | None = None
    text: str = ""

    @property
    def key(self) -> tuple:
        """How a source is recognised: by its address, or without one by title, outlet, date."""
        if self.url:
            return ("url", self.url)
        return ("title", self.title, self.outlet, self.published_on)


@dataclass
class ImportedEvidence:
    stance: str
    url: str
    normalized_url: str
    title: str = ""
    publisher: str = ""
    excerpt: str = ""
    note: str = ""
    added_by: str | None = None  # usernames, kept when the account exists here
    added_at: datetime | None = None
    retracted_at: datetime | None = None
    retracted_by: str | None = None
    retraction_reason: str = ""


@dataclass
class ImportedClaim:
    line: int
    original_id: int | None
    text: str
    claimant: str
    state: str
    claimed_on: date | None = None
    rationale: str = ""
    created_at: datetime | None = None
    state_changed_at: datetime | None = None
    first_verdict_at: datetime | None = None
    appearances: list[tuple[ImportedSource, str]] = field(default_factory=list)
    evidence: list[ImportedEvidence] = field(default_factory=list)

    def standing(self, stance: str) -> int:
        return sum(1 for e in self.evidence if e.stance == stance and e.retracted_at is None)


class ImportFileError(Exception):
    """The file cannot be imported; ``problems`` says where and why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# Parsing ------------------------------------------------------------------------------------------


class _Row:
    """One record being parsed, collecting every problem rather than stopping at the first."""

    def __init__(self, where: str):
        self.where = where
        self.problems: list[str] = []

    def fail(self, field_name: str, message: str) -> None:
        self.problems.append(f"{self.where}, {field_name}: {message}")

    def text(self, data: dict, name: str, *, required=False, label=None) -> str:
        value = data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(label or name, "expected text")
            return ""
        value = value.strip() if name not in ("text", "excerpt", "note") else value
        if required and not value.strip():
            self.fail(label or name, "missing")
        limit = _LIMITS.get(name)
        if limit and len(value) > limit:
            self.fail(label or name, f"longer than {limit} characters")
        return value

    def date(self, data: dict, name: str, *, label=None) -> date | None:
        value = data.get(name)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(label or name, f"not a date (YYYY-MM-DD): {value!r}")
            return None

    def time(self, data: dict, name: str, *, label=None) -> datetime | None:
        value = data.get(name)
        if value in (None, ""):
            return None
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:
            moment = None
        if moment is None:
            self.fail(label or name, f"not a date and time (ISO 8601): {value!r}")
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def state(self, value) -> str:
        if value not in ReviewState.values:
            self.fail(
                "state", f"unknown state {value!r} (expected {', '.join(ReviewState.values)})"
            )
        return value

    def url(self, value, label: str) -> str:
        try:
            return normalize_url(value or "")
        except ValidationError as error:
            self.fail(label, f"bad URL {value!r}: {' '.join(error.messages)}")
            return ""


def _check_claim(row: _Row, claim: ImportedClaim) -> list[str]:
    """What the database and the workflow would refuse, said before anything is written."""
    seen = set()
    for number, evidence in enumerate(claim.evidence, start=1):
        if evidence.retracted_at is None and evidence.normalized_url:
            key = (evidence.stance, evidence.normalized_url)
            if key in seen:
                row.fail(f"evidence {number}", f"duplicate {evidence.stance} link {evidence.url}")
            seen.add(key)
    if claim.state == ReviewState.CORROBORATED and not claim.standing(Stance.SUPPORTS):
        row.fail("state", "corroborated needs at least one standing supporting link")
    if claim.state == ReviewState.DISPUTED and not claim.standing(Stance.CONTRADICTS):
        row.fail("state", "disputed needs at least one standing contradicting link")
    return row.problems


def _original_id(row: _Row, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        row.fail("id", f"not a number: {value!r}")
        return None


def _csv_claims(handle) -> Iterator[ImportedClaim | list[str]]:
    reader = csv.DictReader(handle)
    header = reader.fieldnames or []
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        raise ImportFileError([f"line 1: missing column(s) {', '.join(missing)}"])
    end = reader.line_num
    for data in reader:
        # A record may span lines (a list of URLs); it is named by the line it starts on.
        line, end = end + 1, reader.line_num
        if None in data:
            yield [f"line {line}: more cells than columns"]
            continue
        data = {name: unneutralize(value or "") for name, value in data.items()}
        row = _Row(f"line {line}")
        claim = ImportedClaim(
            line=line,
            original_id=_original_id(row, data.get("id")),
            text=row.text(data, "text", required=True),
            claimant=row.text(data, "claimant", required=True),
            state=row.state(data.get("state", "")),
            claimed_on=row.date(data, "claim_date"),
            rationale=row.text(data, "rationale"),
            created_at=row.time(data, "created_at"),
            state_changed_at=row.time(data, "verdict_date"),
            first_verdict_at=row.time(data, "first_verdict_date"),
        )
        for column, stance in (
            ("supporting_urls", Stance.SUPPORTS),
            ("contradicting_urls", Stance.CONTRADICTS),
        ):
            for url in (data.get(column) or "").split(LIST_SEPARATOR):
                if url.strip():
                    claim.evidence.append(
                        ImportedEvidence(stance, url.strip(), row.url(url, column))
                    )
        yield _check_claim(row, claim) or claim


def _json_values(handle) -> Iterator[tuple[int, object]]:
    """The items of a top-level JSON array with the line each starts on, one at a time."""
    decoder = json.JSONDecoder()
    buffer, line, position, started = "", 1, 0, False
    eof = False

    def fill():
        nonlocal buffer, position, eof
        chunk = handle.read(1 << 20)
        if not chunk:
            eof = True
        buffer = buffer[position:] + chunk
        position = 0

    while True:
        while position < len(buffer) and buffer[position] in " \t\r\n,":
            if buffer[position] == "\n":
                line += 1
            elif buffer[position] == "," and not started:
                raise ImportFileError([f"line {line}: malformed file: expected '['"])
            position += 1
        if position >= len(buffer):
            if eof and not started:
                raise ImportFileError([f"line {line}: malformed file: expected a JSON array"])
            if eof:
                raise ImportFileError([f"line {line}: malformed file: the array is not closed"])
            fill()
            continue
        char = buffer[position]
        if not started:
            if char != "[":
                raise ImportFileError([f"line {line}: malformed file: expected a JSON array"])
            started, position = True, position + 1
            continue
        if char == "]":
            return
        while True:
            try:
                value, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as error:
                if eof:
                    raise ImportFileError(
                        [
                            f"line {line + error.doc.count(chr(10), position, error.pos)}: "
                            f"malformed JSON: {error.msg}"
                        ]
                    ) from error
                fill()
        yield line, value
        line += buffer.count("\n", position, end)
        position = end


def _json_claims(handle) -> Iterator[ImportedClaim | list[str]]:
    for line, data in _json_values(handle):
        row = _Row(f"line {line}")
        if not isinstance(data, dict):
            yield [f"line {line}: expected an object for a claim"]
            continue
        claim = ImportedClaim(
            line=line,
            original_id=_original_id(row, data.get("id")),
            text=row.text(data, "text", required=True),
            claimant=row.text(data, "claimant", required=True),
            state=row.state(data.get("state")),
            claimed_on=row.date(data, "claimed_on"),
            rationale=row.text(data, "rationale"),
            created_at=row.time(data, "created_at"),
            state_changed_at=row.time(data, "state_changed_at"),
            first_verdict_at=row.time(data, "first_verdict_at"),
        )
        for number, item in enumerate(data.get("appearances") or [], start=1):
            label = f"appearance {number}"
            source = item.get("source") if isinstance(item, dict) else None
            if not isinstance(source, dict):
                row.fail(label, "missing source")
                continue
            imported = ImportedSource(
                title=row.text(source, "title", required=True, label=f"{label} source title"),
                url=row.text(source, "url", label=f"{label} source url"),
                outlet=row.text(source, "outlet", label=f"{label} source outlet"),
                author=row.text(source, "author", label=f"{label} source author"),
                published_on=row.date(source, "published_on", label=f"{label} published_on"),
                text=row.text(source, "text", label=f"{label} source text"),
            )
            if imported.url:
                row.url(imported.url, f"{label} source url")
            claim.appearances.append((imported, row.text(item, "quote", label=f"{label} quote")))
        for number, item in enumerate(data.get("evidence") or [], start=1):
            label = f"evidence {number}"
            if not isinstance(item, dict):
                row.fail(label, "expected an object")
                continue
            stance = item.get("stance")
            if stance not in Stance.values:
                row.fail(f"{label} stance", f"unknown stance {stance!r}")
            url = row.text(item, "url", required=True, label=f"{label} url")
            claim.evidence.append(
                ImportedEvidence(
                    stance=stance,
                    url=url,
                    normalized_url=row.url(url, f"{label} url") if url else "",
                    title=row.text(item, "title", label=f"{label} title"),
                    publisher=row.text(item, "publisher", label=f"{label} publisher"),
                    excerpt=row.text(item, "excerpt", label=f"{label} excerpt"),
                    note=row.text(item, "note", label=f"{label} note"),
                    added_by=_username(item.get("added_by")),
                    added_at=row.time(item, "added_at", label=f"{label} added_at"),
                    retracted_at=row.time(item, "retracted_at", label=f"{label} retracted_at"),
                    retracted_by=_username(item.get("retracted_by")),
                    retraction_reason=row.text(
                        item, "retraction_reason", label=f"{label} retraction_reason"
                    ),
                )
            )
        yield _check_claim(row, claim) or claim


def _username(value) -> str | None:
    return value.get("username") if isinstance(value, dict) else None


# Reading a file -----------------------------------------------------------------------------------


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    with path.open(encoding="utf-8-sig") as handle:
        start = handle.read(256).lstrip()
    return "json" if start.startswith("[") else "csv"


def read_claims(path: Path) -> Iterator[ImportedClaim | list[str]]:
    """The file's claims in order; a record with problems comes as the list of its problems.

    Duplicates within the file (a claim number twice, or the same text, claimant and date
    twice: one person may say the same thing on another day) are problems too.
    ``ImportFileError`` means the file itself could not be read any further.
    """
    path = Path(path)
    kind = file_format(path)
    seen_ids: dict[int, int] = {}
    seen_claims: dict[int, int] = {}
    try:
        handle = path.open(encoding="utf-8-sig", newline="" if kind == "csv" else None)
    except OSError as error:
        raise ImportFileError([f"{path}: cannot be read: {error.strerror}"]) from error
    with handle:
        parse = _csv_claims if kind == "csv" else _json_claims
        records = parse(handle)
        while True:
            try:
                claim = next(records)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                raise ImportFileError([f"{path}: malformed file: not UTF-8 text"]) from error
            except csv.Error as error:
                raise ImportFileError([f"malformed CSV: {error}"]) from error
            if isinstance(claim, list):
                yield claim
                continue
            problems = []
            if claim.original_id is not None:
                if claim.original_id in seen_ids:
                    problems.append(
                        f"line {claim.line}, id: duplicate claim {claim.original_id} "
                        f"(also on line {seen_ids[claim.original_id]})"
                    )
                seen_ids[claim.original_id] = claim.line
            key = hash((claim.text, claim.claimant, claim.claimed_on))
            if key in seen_claims:
                problems.append(
                    f"line {claim.line}, text: duplicate claim (same text, claimant and date "
                    f"as line {seen_claims[key]})"
                )
            seen_claims.setdefault(key, claim.line)
            yield problems or claim


def validate_file(path: Path) -> tuple[int, list[str]]:
    """Every problem in the file (up to ``MAX_ERRORS``) and the number of claims it holds.

    Claims already on file (same text, claimant and date) are problems: importing the same
    file twice would otherwise double them.
    """
    existing = {
        hash(row)
        for row in Claim.objects.values_list("text", "claimant", "claimed_on").iterator(5000)
    }
    problems, count = [], 0
    try:
        for record in read_claims(path):
            if isinstance(record, list):
                problems.extend(record)
            else:
                count += 1
                if hash((record.text, record.claimant, record.claimed_on)) in existing:
                    problems.append(
                        f"line {record.line}, text: duplicate: this claim (same text, claimant "
                        "and date) is already on file"
                    )
            if len(problems) >= MAX_ERRORS:
                problems.append(f"... stopped after {MAX_ERRORS} problems")
                break
    except ImportFileError as error:
        problems.extend(error.problems)
    if count == 0 and not problems:
        problems.append(f"{path}: no claims in the file")
    return count, problems


def valid_claims(path: Path) -> Iterator[ImportedClaim]:
    """The file's claims, for the import's second pass; any problem now stops it."""
    for record in read_claims(path):
        if isinstance(record, list):
            raise ImportFileError(record)
        yield record


__all__ = ["ImportFileError", "ImportedClaim", "read_claims", "valid_claims", "validate_file"]

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

import codecs
import contextlib
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from claims.interchange.exports.csv import LIST_SEPARATOR, unneutralize
from claims.models import LARGEST_ID, Claim, Evidence, ReviewState, Source, Stance
from claims.urlnorm import normalize_url
from claims.workflow import REQUIRED_STANCE

CSV_REQUIRED = ("text", "claimant", "state")
# Column lengths the database holds (PostgreSQL refuses longer values; SQLite would keep them).
_LIMITS = {
    "claimant": Claim._meta.get_field("claimant").max_length,
    "title": Evidence._meta.get_field("title").max_length,
    "publisher": Evidence._meta.get_field("publisher").max_length,
    "outlet": Source._meta.get_field("outlet").max_length,
    "author": Source._meta.get_field("author").max_length,
}
EVIDENCE_URL_LIMIT = Evidence._meta.get_field("url").max_length
NORMALIZED_URL_LIMIT = Evidence._meta.get_field("normalized_url").max_length
SOURCE_URL_LIMIT = Source._meta.get_field("url").max_length
MAX_COUNT = 2**31 - 1  # PositiveIntegerField, the smallest range any backend gives it
# A CSV cell may be as long as a text column holds (PostgreSQL: 1 GB), so the export's own
# files read back; Python's csv module stops at 131,072 characters by default.
CSV_FIELD_LIMIT = 2**30
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


def _shown(value) -> str:
    """A value as a problem quotes it, cut short so one huge cell cannot flood the report."""
    try:
        text = repr(value)
    except ValueError:  # an int with more digits than Python will print
        text = "a number too long to show"
    return text if len(text) <= 80 else text[:77] + "..."


def _text_problem(value: str) -> str | None:
    """Why the database cannot store this text: PostgreSQL refuses NUL, UTF-8 a lone surrogate."""
    if "\x00" in value:
        return "contains a NUL character"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "not valid Unicode text (a lone surrogate)"
    return None


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
        problem = _text_problem(value)
        if problem:
            self.fail(label or name, problem)
        return value

    def integer(
        self, data: dict, name: str, *, label=None, minimum=1, maximum=LARGEST_ID
    ) -> int | None:
        """A whole number in its column's range: text in a CSV cell, a number in JSON."""
        value = data.get(name)
        if value in (None, ""):
            return None
        number = None
        if isinstance(value, str):
            with contextlib.suppress(ValueError):  # not digits, or too many of them
                number = int(value.strip())
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        if number is None:
            self.fail(label or name, f"not a whole number: {_shown(value)}")
            return None
        if not minimum <= number <= maximum:
            self.fail(label or name, f"out of range ({minimum} to {maximum}): {_shown(value)}")
            return None
        return number

    def date(self, data: dict, name: str, *, label=None) -> date | None:
        value = data.get(name)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(label or name, f"not a date (YYYY-MM-DD): {_shown(value)}")
            return None

    def time(self, data: dict, name: str, *, label=None) -> datetime | None:
        """A moment in UTC, as the database stores it; the year must stay within 1 to 9999 there."""
        value = data.get(name)
        if value in (None, ""):
            return None
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:
            moment = None
        if moment is None:
            self.fail(label or name, f"not a date and time (ISO 8601): {_shown(value)}")
            return None
        try:
            return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        except OverflowError:
            self.fail(label or name, f"out of range in UTC (years 1 to 9999): {_shown(value)}")
            return None

    def state(self, value) -> str:
        if value not in ReviewState.values:
            self.fail(
                "state",
                f"unknown state {_shown(value)} (expected {', '.join(ReviewState.values)})",
            )
            return ""
        return value

    def url(self, value: str, label: str, *, limit: int) -> str:
        """The address's normal form ('' after a problem); the address must fit its column."""
        address = (value or "").strip()
        if len(address) > limit:
            self.fail(label, f"longer than {limit} characters")
            return ""
        try:
            return normalize_url(address)
        except ValidationError as error:
            self.fail(label, f"bad URL {_shown(value)}: {' '.join(error.messages)}")
            return ""

    def evidence_url(self, value: str, label: str) -> str:
        """An evidence link's normal form, which is stored too and must fit its own column."""
        normalized = self.url(value, label, limit=EVIDENCE_URL_LIMIT)
        if len(normalized) > NORMALIZED_URL_LIMIT:
            self.fail(label, f"longer than {NORMALIZED_URL_LIMIT} characters once normalized")
            return ""
        return normalized

    def items(self, data: dict, name: str) -> list:
        """A list field's items: none when it is absent, or after saying it is not a list."""
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(name, "expected a list")
            return []
        return value

    def username(self, data: dict, name: str, *, label: str) -> str | None:
        """Who a user object names (kept when the account exists here), or None."""
        value = data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(label, "expected an object or null")
            return None
        username = value.get("username")
        if username is not None and not isinstance(username, str):
            self.fail(f"{label} username", "expected text")
            return None
        return username


def _check_claim(row: _Row, claim: ImportedClaim) -> list[str]:
    """What the database, the workflow and the services would refuse, said before any write."""
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
    if claim.state in REQUIRED_STANCE and not claim.rationale:
        row.fail("rationale", f"missing: a claim that is {claim.state} needs its rationale")
    return row.problems


def _csv_claims(handle) -> Iterator[ImportedClaim | list[str]]:
    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        yield from _csv_records(handle)
    finally:
        csv.field_size_limit(previous_limit)


def _csv_records(handle) -> Iterator[ImportedClaim | list[str]]:
    reader = csv.DictReader(handle)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise ImportFileError([f"line 1: malformed CSV: {error}"]) from error
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        raise ImportFileError([f"line 1: missing column(s) {', '.join(missing)}"])
    end = reader.line_num
    while True:
        try:
            data = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError([f"line {end + 1}: malformed CSV: {error}"]) from error
        # A record may span lines (a list of URLs); it is named by the line it starts on.
        line, end = end + 1, reader.line_num
        if None in data:
            yield [f"line {line}: more cells than columns"]
            continue
        data = {name: unneutralize(value or "") for name, value in data.items()}
        row = _Row(f"line {line}")
        claim = ImportedClaim(
            line=line,
            original_id=row.integer(data, "id"),
            text=row.text(data, "text", required=True),
            claimant=row.text(data, "claimant", required=True),
            state=row.state(data.get("state", "")),
            claimed_on=row.date(data, "claim_date"),
            rationale=row.text(data, "rationale"),
            created_at=row.time(data, "created_at"),
            state_changed_at=row.time(data, "verdict_date"),
            first_verdict_at=row.time(data, "first_verdict_date"),
        )
        for name in ("supporting_count", "contradicting_count"):
            row.integer(data, name, minimum=0, maximum=MAX_COUNT)
        for column, stance in (
            ("supporting_urls", Stance.SUPPORTS),
            ("contradicting_urls", Stance.CONTRADICTS),
        ):
            for url in (data.get(column) or "").split(LIST_SEPARATOR):
                if url.strip():
                    claim.evidence.append(
                        ImportedEvidence(stance, url.strip(), row.evidence_url(url, column))
                    )
        yield _check_claim(row, claim) or claim


def _json_values(handle) -> Iterator[tuple[int, object]]:
    """The items of a top-level JSON array with the line each starts on, one at a time.

    Strict about what lies between them too: one comma between items, nothing after the ``]``.
    """
    decoder = json.JSONDecoder()
    buffer, position, line, eof = "", 0, 1, False

    def fill() -> None:
        nonlocal buffer, position, eof
        chunk = handle.read(1 << 20)
        eof = not chunk
        buffer, position = buffer[position:] + chunk, 0

    def next_char() -> str:
        """The next character that is not JSON whitespace ('' at the end), counting lines."""
        nonlocal position, line
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                if buffer[position] == "\n":
                    line += 1
                position += 1
            if position < len(buffer) or eof:
                return buffer[position : position + 1]
            fill()

    def malformed(message: str) -> ImportFileError:
        return ImportFileError([f"line {line}: {message}"])

    def decode() -> tuple[object, int]:
        while True:
            try:
                return decoder.raw_decode(buffer, position)
            except json.JSONDecodeError as error:
                if eof:
                    at = line + buffer.count("\n", position, error.pos)
                    raise ImportFileError([f"line {at}: malformed JSON: {error.msg}"]) from error
                fill()
            except RecursionError as error:
                raise malformed("malformed JSON: nested too deeply") from error
            except ValueError as error:  # an integer with more digits than Python converts
                raise malformed("malformed JSON: a number too long to read") from error

    if next_char() != "[":
        raise malformed("malformed file: expected a JSON array")
    position += 1
    char = next_char()
    while char != "]":
        if not char:
            raise malformed("malformed file: the array is not closed")
        value, end = decode()
        yield line, value
        line += buffer.count("\n", position, end)
        position = end
        char = next_char()
        if char == ",":
            position += 1
            char = next_char()
            if char == "]":
                raise malformed("malformed JSON: a comma before the closing ']'")
        elif char and char != "]":
            raise malformed("malformed JSON: expected ',' or ']' after a claim")
    position += 1
    if next_char():
        raise malformed("malformed JSON: text after the closing ']'")


def _json_claims(handle) -> Iterator[ImportedClaim | list[str]]:
    for line, data in _json_values(handle):
        row = _Row(f"line {line}")
        if not isinstance(data, dict):
            yield [f"line {line}: expected an object for a claim"]
            continue
        claim = ImportedClaim(
            line=line,
            original_id=row.integer(data, "id"),
            text=row.text(data, "text", required=True),
            claimant=row.text(data, "claimant", required=True),
            state=row.state(data.get("state")),
            claimed_on=row.date(data, "claimed_on"),
            rationale=row.text(data, "rationale"),
            created_at=row.time(data, "created_at"),
            state_changed_at=row.time(data, "state_changed_at"),
            first_verdict_at=row.time(data, "first_verdict_at"),
        )
        row.username(data, "created_by", label="created_by")
        row.time(data, "updated_at")
        for name in ("supporting_count", "contradicting_count"):
            row.integer(data, name, minimum=0, maximum=MAX_COUNT)
        claim.appearances = _json_appearances(row, row.items(data, "appearances"))
        claim.evidence = _json_evidence(row, row.items(data, "evidence"))
        # Assignments and history are not imported, but a file that mangles them is not an export.
        for number, item in enumerate(row.items(data, "assignments"), start=1):
            if not isinstance(item, dict):
                row.fail(f"assignment {number}", "expected an object")
        for number, item in enumerate(row.items(data, "history"), start=1):
            if not isinstance(item, dict):
                row.fail(f"history {number}", "expected an object")
            else:
                row.integer(item, "sequence", label=f"history {number} sequence", maximum=MAX_COUNT)
        yield _check_claim(row, claim) or claim


def _json_appearances(row: _Row, items: list) -> list[tuple[ImportedSource, str]]:
    """Each source once, each with its quote: what ``services.claim_create`` asks too."""
    appearances, seen = [], {}
    for number, item in enumerate(items, start=1):
        label = f"appearance {number}"
        if not isinstance(item, dict):
            row.fail(label, "expected an object")
            continue
        source = item.get("source")
        if source is None:
            row.fail(label, "missing source")
            continue
        if not isinstance(source, dict):
            row.fail(f"{label} source", "expected an object")
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
            row.url(imported.url, f"{label} source url", limit=SOURCE_URL_LIMIT)
        # Sources are matched by this key, and a claim appears in one source once.
        if imported.key in seen:
            row.fail(
                f"{label} source",
                f"“{imported.title}” is listed twice (also appearance {seen[imported.key]})",
            )
        seen.setdefault(imported.key, number)
        quote = row.text(item, "quote", required=True, label=f"{label} quote")
        appearances.append((imported, quote))
    return appearances


def _json_evidence(row: _Row, items: list) -> list[ImportedEvidence]:
    """Every link, retracted ones with the reason ``services.evidence_retract`` asks for."""
    evidence = []
    for number, item in enumerate(items, start=1):
        label = f"evidence {number}"
        if not isinstance(item, dict):
            row.fail(label, "expected an object")
            continue
        row.integer(item, "id", label=f"{label} id")
        stance = item.get("stance")
        if stance not in Stance.values:
            row.fail(f"{label} stance", f"unknown stance {_shown(stance)}")
            stance = ""
        url = row.text(item, "url", required=True, label=f"{label} url")
        link = ImportedEvidence(
            stance=stance,
            url=url,
            normalized_url=row.evidence_url(url, f"{label} url") if url else "",
            title=row.text(item, "title", label=f"{label} title"),
            publisher=row.text(item, "publisher", label=f"{label} publisher"),
            excerpt=row.text(item, "excerpt", label=f"{label} excerpt"),
            note=row.text(item, "note", label=f"{label} note"),
            added_by=row.username(item, "added_by", label=f"{label} added_by"),
            added_at=row.time(item, "added_at", label=f"{label} added_at"),
            retracted_at=row.time(item, "retracted_at", label=f"{label} retracted_at"),
            retracted_by=row.username(item, "retracted_by", label=f"{label} retracted_by"),
            retraction_reason=row.text(
                item, "retraction_reason", label=f"{label} retraction_reason"
            ),
        )
        retracted = item.get("retracted")
        if retracted is not None and not isinstance(retracted, bool):
            row.fail(f"{label} retracted", "expected true or false")
        elif retracted is not None and retracted != (item.get("retracted_at") not in (None, "")):
            row.fail(
                f"{label} retracted",
                "true but retracted_at is empty" if retracted else "false but retracted_at is set",
            )
        if link.retracted_at is not None and not link.retraction_reason:
            row.fail(f"{label} retraction_reason", "missing: a retracted link needs its reason")
        evidence.append(link)
    return evidence


# Reading a file -----------------------------------------------------------------------------------


def file_format(path: Path) -> str:
    """The file's format: by its suffix, else JSON when it starts with a ``[``."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    # Bytes, not text: a file that is not UTF-8 is reported by the parser, with its line.
    with path.open("rb") as handle:
        start = handle.read(1 << 16).removeprefix(codecs.BOM_UTF8)
        while start and not start.strip():
            start = handle.read(1 << 16)
    return "json" if start.lstrip().startswith(b"[") else "csv"


def _undecodable_line(path: Path) -> int | None:
    """The line holding the file's first byte that is not UTF-8, for the problem to name."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    return line + chunk.count(b"\n", 0, max(error.start - pending, 0))
                line += chunk.count(b"\n")
    except OSError:
        return None
    return line  # the file ends inside a character


def read_claims(path: Path) -> Iterator[ImportedClaim | list[str]]:
    """The file's claims in order; a record with problems comes as the list of its problems.

    Duplicates within the file (a claim number twice, or the same text, claimant and date
    twice: one person may say the same thing on another day) are problems too.
    ``ImportFileError`` means the file itself could not be read any further.
    """
    path = Path(path)
    seen_ids: dict[int, int] = {}
    seen_claims: dict[int, int] = {}
    try:
        kind = file_format(path)
        handle = path.open(encoding="utf-8-sig", newline="" if kind == "csv" else None)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = getattr(error, "strerror", None) or error
        raise ImportFileError([f"{path}: cannot be read: {reason}"]) from error
    with handle:
        parse = _csv_claims if kind == "csv" else _json_claims
        records = parse(handle)
        while True:
            try:
                claim = next(records)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                line = _undecodable_line(path)
                where = f"line {line}" if line else str(path)
                raise ImportFileError([f"{where}: malformed file: not UTF-8 text"]) from error
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


def validate_file(path: Path, *, progress=None) -> tuple[int, list[str]]:
    """Every problem in the file (up to ``MAX_ERRORS``) and the number of claims it holds.

    Claims already on file (same text, claimant and date) are problems: importing the same
    file twice would otherwise double them. ``progress`` wraps the records as they are read
    (the command's progress bar).
    """
    existing = {
        hash(row)
        for row in Claim.objects.values_list("text", "claimant", "claimed_on").iterator(5000)
    }
    problems, count = [], 0
    try:
        records = read_claims(path)
        for record in progress(records) if progress else records:
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

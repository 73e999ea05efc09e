"""Claims read from the JSON export (``exports.json``), an array item at a time.

The JSON carries everything the desk can take back: sources (matched to those on file by URL),
every evidence link with its retraction, and who added it, when the verdict was first published
and each correction of it. Assignments and history are checked for shape only: they are not
imported.
"""

import json
from collections.abc import Iterator

from django.utils.translation import gettext as _

from claims.interchange.imports.check import check_claim
from claims.interchange.imports.fields import MAX_COUNT, SOURCE_URL_LIMIT, RecordFields, shown
from claims.interchange.imports.records import (
    ImportedClaim,
    ImportedCorrection,
    ImportedEvidence,
    ImportedSource,
    ImportFileError,
    RecordProblems,
)
from claims.models import Stance
from claims.services.claims import appearance_quote

READ_SIZE = 1 << 20


class _ArrayItems:
    """The items of a top-level JSON array with the line each starts on, one at a time.

    Strict about what lies between them too: one comma between items, nothing after the ``]``.
    """

    def __init__(self, handle):
        self.handle = handle
        self.decoder = json.JSONDecoder()
        self.buffer, self.position, self.line, self.eof = "", 0, 1, False

    def __iter__(self) -> Iterator[tuple[int, object]]:
        if self._next_char() != "[":
            raise self._malformed(_("malformed file: expected a JSON array"))
        self.position += 1
        char = self._next_char()
        while char != "]":
            if not char:
                raise self._malformed(_("malformed file: the array is not closed"))
            value, end = self._decode()
            yield self.line, value
            self.line += self.buffer.count("\n", self.position, end)
            self.position = end
            char = self._after_item()
        self.position += 1
        if self._next_char():
            raise self._malformed(_("malformed JSON: text after the closing ']'"))

    def _after_item(self) -> str:
        """The character that starts the next item, or the closing ``]``."""
        char = self._next_char()
        if char == ",":
            self.position += 1
            char = self._next_char()
            if char == "]":
                raise self._malformed(_("malformed JSON: a comma before the closing ']'"))
        elif char and char != "]":
            raise self._malformed(_("malformed JSON: expected ',' or ']' after a claim"))
        return char

    def _fill(self) -> None:
        chunk = self.handle.read(READ_SIZE)
        self.eof = not chunk
        self.buffer, self.position = self.buffer[self.position :] + chunk, 0

    def _next_char(self) -> str:
        """The next character that is not JSON whitespace ('' at the end), counting lines."""
        buffer = self.buffer
        while True:
            while self.position < len(buffer) and buffer[self.position] in " \t\r\n":
                if buffer[self.position] == "\n":
                    self.line += 1
                self.position += 1
            if self.position < len(buffer) or self.eof:
                return buffer[self.position : self.position + 1]
            self._fill()
            buffer = self.buffer

    def _malformed(self, message: str, line: int | None = None) -> ImportFileError:
        return ImportFileError(
            [_("line %(line)d: %(problem)s") % {"line": line or self.line, "problem": message}]
        )

    def _decode(self) -> tuple[object, int]:
        while True:
            try:
                return self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if self.eof:
                    at = self.line + self.buffer.count("\n", self.position, error.pos)
                    message = _("malformed JSON: %(error)s") % {"error": error.msg}
                    raise self._malformed(message, at) from error
                self._fill()
            except RecursionError as error:
                raise self._malformed(_("malformed JSON: nested too deeply")) from error
            except ValueError as error:  # an integer with more digits than Python converts
                raise self._malformed(_("malformed JSON: a number too long to read")) from error


def json_claims(handle) -> Iterator[ImportedClaim | RecordProblems]:
    """Each item's claim, or its problems; ``ImportFileError`` when the file stops being JSON."""
    for line, data in _ArrayItems(handle):
        if not isinstance(data, dict):
            message = _("line %(line)d: expected an object for a claim") % {"line": line}
            yield RecordProblems(line, [message])
            continue
        yield _claim(line, data)


def _claim(line: int, data: dict) -> ImportedClaim | RecordProblems:
    fields = RecordFields(line)
    claim = ImportedClaim(
        line=line,
        original_id=fields.integer(data, "id"),
        text=fields.text(data, "text", required=True),
        claimant=fields.text(data, "claimant", required=True),
        state=fields.state(data.get("state")),
        claimed_on=fields.date(data, "claimed_on"),
        rationale=fields.text(data, "rationale"),
        created_at=fields.time(data, "created_at"),
        state_changed_at=fields.time(data, "state_changed_at"),
        first_verdict_at=fields.time(data, "first_verdict_at"),
        published_at=fields.time(data, "published_at"),
        corrected_at=fields.time(data, "corrected_at"),
    )
    fields.username(data, "created_by", label="created_by")
    fields.time(data, "updated_at")
    for name in ("supporting_count", "contradicting_count"):
        fields.integer(data, name, minimum=0, maximum=MAX_COUNT)
    claim.appearances = _appearances(fields, fields.items(data, "appearances"))
    claim.evidence = [
        link
        for number, item in enumerate(fields.items(data, "evidence"), start=1)
        if (link := _evidence(fields, item, f"evidence {number}")) is not None
    ]
    claim.corrections = [
        correction
        for number, item in enumerate(fields.items(data, "corrections"), start=1)
        if (correction := _correction(fields, item, f"correction {number}")) is not None
    ]
    _check_unimported(fields, data)
    return check_claim(fields, claim) or claim


def _check_unimported(fields: RecordFields, data: dict) -> None:
    """Assignments and history are not imported, but a file that mangles them is not an export."""
    for number, item in enumerate(fields.items(data, "assignments"), start=1):
        if not isinstance(item, dict):
            fields.fail(f"assignment {number}", _("expected an object"))
    for number, item in enumerate(fields.items(data, "history"), start=1):
        if not isinstance(item, dict):
            fields.fail(f"history {number}", _("expected an object"))
        else:
            label = f"history {number} sequence"
            fields.integer(item, "sequence", label=label, maximum=MAX_COUNT)


def _appearances(fields: RecordFields, items: list) -> list[tuple[ImportedSource, str]]:
    """Each source once, each with its quote: what ``services.claim_create`` asks too."""
    appearances, seen = [], {}
    for number, item in enumerate(items, start=1):
        label = f"appearance {number}"
        source = _source(fields, item, label)
        if source is None:
            continue
        # Sources are matched by this key, and a claim appears in one source once.
        if source.key in seen:
            fields.fail(
                f"{label} source",
                _("“%(title)s” is listed twice (also appearance %(number)d)")
                % {"title": source.title, "number": seen[source.key]},
            )
        seen.setdefault(source.key, number)
        quote = appearance_quote(fields.text(item, "quote", label=f"{label} quote"))
        if not quote:
            fields.fail(f"{label} quote", _("missing"))
        appearances.append((source, quote))
    return appearances


def _source(fields: RecordFields, item, label: str) -> ImportedSource | None:
    """The source an appearance names, or None after saying why there is none."""
    if not isinstance(item, dict):
        fields.fail(label, _("expected an object"))
        return None
    source = item.get("source")
    if source is None:
        fields.fail(label, _("missing source"))
        return None
    if not isinstance(source, dict):
        fields.fail(f"{label} source", _("expected an object"))
        return None
    imported = ImportedSource(
        title=fields.text(source, "title", required=True, label=f"{label} source title"),
        url=fields.text(source, "url", label=f"{label} source url"),
        outlet=fields.text(source, "outlet", label=f"{label} source outlet"),
        author=fields.text(source, "author", label=f"{label} source author"),
        published_on=fields.date(source, "published_on", label=f"{label} published_on"),
        text=fields.text(source, "text", label=f"{label} source text"),
    )
    if imported.url:
        fields.url(imported.url, f"{label} source url", limit=SOURCE_URL_LIMIT)
    return imported


def _evidence(fields: RecordFields, item, label: str) -> ImportedEvidence | None:
    """One link, a retracted one with the reason ``services.evidence_retract`` asks for."""
    if not isinstance(item, dict):
        fields.fail(label, _("expected an object"))
        return None
    fields.integer(item, "id", label=f"{label} id")
    stance = item.get("stance")
    if stance not in Stance.values:
        fields.fail(f"{label} stance", _("unknown stance %(value)s") % {"value": shown(stance)})
        stance = ""
    url = fields.text(item, "url", required=True, label=f"{label} url")
    link = ImportedEvidence(
        stance=stance,
        url=url,
        normalized_url=fields.evidence_url(url, f"{label} url") if url else "",
        title=fields.text(item, "title", label=f"{label} title"),
        publisher=fields.text(item, "publisher", label=f"{label} publisher"),
        excerpt=fields.text(item, "excerpt", label=f"{label} excerpt"),
        note=fields.text(item, "note", label=f"{label} note"),
        added_by=fields.username(item, "added_by", label=f"{label} added_by"),
        added_at=fields.time(item, "added_at", label=f"{label} added_at"),
        retracted_at=fields.time(item, "retracted_at", label=f"{label} retracted_at"),
        retracted_by=fields.username(item, "retracted_by", label=f"{label} retracted_by"),
        retraction_reason=fields.text(
            item, "retraction_reason", label=f"{label} retraction_reason"
        ),
    )
    _check_retraction(fields, item, link, label)
    return link


def _correction(fields: RecordFields, item, label: str) -> ImportedCorrection | None:
    """One correction of the published verdict: from and to, the rationales, the public note."""
    if not isinstance(item, dict):
        fields.fail(label, _("expected an object"))
        return None
    return ImportedCorrection(
        published_at=fields.time(item, "published_at", label=f"{label} published_at"),
        previous_state=fields.state(item.get("previous_state"), label=f"{label} previous_state"),
        state=fields.state(item.get("state"), label=f"{label} state"),
        previous_rationale=fields.text(
            item, "previous_rationale", label=f"{label} previous_rationale"
        ),
        rationale=fields.text(item, "rationale", label=f"{label} rationale"),
        correction_note=fields.text(item, "correction_note", label=f"{label} correction_note"),
        proposed_by=fields.username(item, "proposed_by", label=f"{label} proposed_by"),
        approved_by=fields.username(item, "approved_by", label=f"{label} approved_by"),
        without_signoff=fields.boolean(item, "without_signoff", label=f"{label} without_signoff"),
    )


def _check_retraction(fields: RecordFields, item: dict, link: ImportedEvidence, label: str) -> None:
    """``retracted`` must agree with ``retracted_at``, and a retraction must give its reason."""
    retracted = item.get("retracted")
    if retracted is not None and not isinstance(retracted, bool):
        fields.fail(f"{label} retracted", _("expected true or false"))
    elif retracted is not None and retracted != (item.get("retracted_at") not in (None, "")):
        fields.fail(
            f"{label} retracted",
            _("true but retracted_at is empty")
            if retracted
            else _("false but retracted_at is set"),
        )
    if link.retracted_at is not None and not link.retraction_reason:
        fields.fail(f"{label} retraction_reason", _("missing: a retracted link needs its reason"))

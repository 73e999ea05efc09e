"""A file's records in order, whichever of the two export formats it is in."""

import codecs
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from claims.interchange.imports.check import FileDuplicates
from claims.interchange.imports.csv import csv_claims
from claims.interchange.imports.json import json_claims
from claims.interchange.imports.records import ImportedClaim, ImportFileError, RecordProblems

SNIFF_SIZE = 1 << 16


def file_format(path: Path) -> str:
    """The file's format: by its suffix, else JSON when it starts with a ``[``."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    # Bytes, not text: a file that is not UTF-8 is reported by the parser, with its line.
    with path.open("rb") as handle:
        start = handle.read(SNIFF_SIZE).removeprefix(codecs.BOM_UTF8)
        while start and not start.strip():
            start = handle.read(SNIFF_SIZE)
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


def _open(path: Path):
    """The file as text, and the parser for its format."""
    try:
        kind = file_format(path)
        handle = path.open(encoding="utf-8-sig", newline="" if kind == "csv" else None)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = getattr(error, "strerror", None) or error
        raise ImportFileError(
            [_("%(file)s: cannot be read: %(reason)s") % {"file": path, "reason": reason}]
        ) from error
    return handle, csv_claims if kind == "csv" else json_claims


def read_claims(path: Path) -> Iterator[ImportedClaim | RecordProblems]:
    """The file's claims in order; a record with problems comes as its ``RecordProblems``.

    Duplicates within the file (a claim number twice, or the same text, claimant and date
    twice: one person may say the same thing on another day) are problems too.
    ``ImportFileError`` means the file itself could not be read any further.
    """
    path = Path(path)
    duplicates = FileDuplicates()
    handle, parse = _open(path)
    with handle:
        records = parse(handle)
        while True:
            try:
                claim = next(records)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                line = _undecodable_line(path)
                where = _("line %(line)d") % {"line": line} if line else str(path)
                raise ImportFileError(
                    [_("%(where)s: malformed file: not UTF-8 text") % {"where": where}]
                ) from error
            if isinstance(claim, RecordProblems):
                yield claim
                continue
            problems = duplicates.problems(claim)
            yield RecordProblems(claim.line, problems) if problems else claim

"""Verdict reports: one reader (``reader``) and one module per format, each an ``ExportFormat``."""

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, runtime_checkable

from claims.interchange.exports import claimreview, html, reader
from claims.interchange.exports import csv as csv_format
from claims.interchange.exports import json as json_format
from claims.interchange.exports.reader import ClaimRecord


@runtime_checkable
class ExportFormat(Protocol):
    """What a format module declares: its name, how it is served, what it reads, how it writes.

    ``INCLUDE`` names what the reader must bring besides each claim's own fields (the reader's
    ``APPEARANCES``, ``EVIDENCE``, ...). ``render`` yields the file in pieces, text or UTF-8
    bytes; ``count`` is how many claims were selected, for a format that shows it.
    """

    NAME: str
    CONTENT_TYPE: str
    EXTENSION: str
    INCLUDE: frozenset[str]

    def render(self, claims: Iterable[ClaimRecord], *, count: int) -> Iterator[str | bytes]: ...


FORMATS: dict[str, ExportFormat] = {
    module.NAME: module for module in (csv_format, json_format, claimreview, html)
}


def export(
    format_name: str,
    params,
    *,
    user=None,
    strict: bool = False,
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> tuple[int, Iterator[str | bytes]]:
    """The number of selected claims and the export's content in pieces.

    ``progress(claims, total)`` may wrap the claims as they are read (a progress bar).
    """
    export_format = FORMATS[format_name]
    selection = reader.export_selection(params=params, user=user, strict=strict)
    claims = reader.iter_claims(selection, include=export_format.INCLUDE)
    if progress is not None:
        claims = progress(claims, len(selection))
    return len(selection), export_format.render(claims, count=len(selection))

"""Verdict reports: one reader (``reader``) and one module per format, each an ``ExportFormat``."""

import contextlib
import datetime
import gc
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, runtime_checkable

from claims.interchange.exports import claimreview, html, reader
from claims.interchange.exports import csv as csv_format
from claims.interchange.exports import json as json_format
from claims.interchange.exports.reader import ClaimRecord, ExportSelection


@runtime_checkable
class ExportFormat(Protocol):
    """What a format module declares: its name, how it is served, what it reads, how it writes.

    ``INCLUDE`` names what the reader must bring besides each claim's own fields (the reader's
    ``APPEARANCES``, ``EVIDENCE``, ...); ``PUBLISHED_ONLY`` leaves out the claims whose verdict
    is not public (ClaimReview publishes verdicts: only those the public has seen). ``render``
    yields the file in pieces, text or UTF-8 bytes; ``selection`` is what was selected and how,
    for a format that shows it.
    """

    NAME: str
    CONTENT_TYPE: str
    EXTENSION: str
    INCLUDE: frozenset[str]
    PUBLISHED_ONLY: bool

    def render(
        self, claims: Iterable[ClaimRecord], *, selection: ExportSelection
    ) -> Iterator[str | bytes]: ...


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
    back_url: str = "",
    corrected_since: datetime.date | None = None,
    filterset=None,
) -> tuple[int, Iterator[str | bytes]]:
    """The number of selected claims and the export's content in pieces.

    ``progress(claims, total)`` may wrap the claims as they are read (a progress bar);
    ``back_url`` is the queue page the export was asked from (see ``ExportSelection``);
    ``corrected_since`` keeps the claims corrected on that day or later; ``filterset`` is the
    queue's filters over ``params`` when the caller made them (see ``export_selection``).
    """
    export_format = FORMATS[format_name]
    selection = reader.export_selection(
        params=params,
        user=user,
        strict=strict,
        back_url=back_url,
        published_only=export_format.PUBLISHED_ONLY,
        corrected_since=corrected_since,
        filterset=filterset,
    )
    claims = reader.iter_claims(selection, include=export_format.INCLUDE)
    if progress is not None:
        claims = progress(claims, len(selection))
    return len(selection), export_format.render(claims, selection=selection)


# Bytes or characters per write: a JSON export is nearly a gigabyte, and writing it a claim at a
# time kept the kernel busy with small writes.
WRITE_SIZE = 64 * 1024


def write_export(
    stream,
    format_name: str,
    params,
    *,
    progress: Callable[[Iterable, int], Iterable] | None = None,
    corrected_since: datetime.date | None = None,
) -> int:
    """Write the export of the claims ``params`` select (and ``corrected_since``, as ``export``
    takes it) to ``stream``; how many were selected.

    Invalid filter values are refused (``ValidationError``) rather than left out. A text stream
    over a binary one (standard output) is written through to it, the export in UTF-8 whatever
    the terminal's encoding; a reader that stops early (``head``) ends the export quietly.
    """
    total, pieces = export(
        format_name, params, strict=True, progress=progress, corrected_since=corrected_since
    )
    write = _writer(stream)
    with _without_cycle_collection(), contextlib.suppress(BrokenPipeError):
        for piece in _batched(pieces):
            write(piece)
        stream.flush()
    return total


def _writer(stream) -> Callable[[str | bytes], object]:
    """A write taking text or UTF-8 bytes, into a binary stream or, failing one, a text one."""
    binary = stream if isinstance(stream, io.BufferedIOBase | io.RawIOBase) else None
    if binary is None and getattr(stream, "buffer", None) is not None:
        stream.flush()  # what was written as text goes first
        binary = stream.buffer
    if binary is not None:
        return lambda piece: binary.write(piece.encode() if isinstance(piece, str) else piece)
    return lambda piece: stream.write(piece.decode() if isinstance(piece, bytes) else piece)


def _batched(pieces: Iterable[str | bytes]) -> Iterator[str | bytes]:
    """The pieces joined into pieces of at least WRITE_SIZE (the last may be less)."""
    pending, size = [], 0
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size >= WRITE_SIZE:
            yield pending[0][:0].join(pending)
            pending, size = [], 0
    if pending:
        yield pending[0][:0].join(pending)


@contextlib.contextmanager
def _without_cycle_collection():
    """No cycle collector while an export is written, the collector's state restored after.

    An export makes millions of short-lived rows and strings and no reference cycles: the
    collector's passes over them would find nothing, at a cost that grows with the desk.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()

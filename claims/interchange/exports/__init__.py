"""Verdict reports: each format is a module with ``render(claims)`` yielding text, its
``CONTENT_TYPE``, file ``EXTENSION`` and the related rows it needs (``INCLUDE``);
all of them read the claims through ``selector``.
"""

from collections.abc import Callable, Iterable, Iterator
from types import ModuleType

from claims.interchange.exports import claimreview, html
from claims.interchange.exports import csv as csv_format
from claims.interchange.exports import json as json_format
from claims.interchange.exports import reader as selector

FORMATS: dict[str, ModuleType] = {
    "csv": csv_format,
    "json": json_format,
    "claimreview": claimreview,
    "html": html,
}


def export(
    format_name: str,
    params,
    *,
    user=None,
    strict: bool = False,
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> tuple[int, Iterator[str]]:
    """The number of selected claims and the export's text in chunks.

    ``progress(claims, total)`` may wrap the claims as they are read (a progress bar).
    """
    module = FORMATS[format_name]
    selection = selector.export_selection(params=params, user=user, strict=strict)
    claims = selector.iter_claims(selection, include=module.INCLUDE)
    if progress is not None:
        claims = progress(claims, len(selection))
    if module is html:
        return len(selection), html.render(claims, count=len(selection))
    return len(selection), module.render(claims)

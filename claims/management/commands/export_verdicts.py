"""Export the claims the queue's filters select as CSV, JSON, ClaimReview JSON-LD or a report."""

import contextlib
import gc
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from tqdm import tqdm

from claims.interchange.exports import FORMATS, export
from claims.selectors.filters import SORTS, UNASSIGNED

# Command option -> the queue's GET parameter.
FILTER_OPTIONS = {
    "state": "state",
    "reviewer": "reviewer",
    "claimant": "claimant",
    "source": "source",
    "created_from": "created_from",
    "created_to": "created_to",
    "search": "q",
    "sort": "sort",
}


# Characters per write: a JSON export is nearly a gigabyte, and writing it a claim (8 KB) at
# a time cost the kernel a third more than in writes of 64 KB.
WRITE_SIZE = 64 * 1024


def _batched(chunks):
    """The chunks joined into pieces of at least WRITE_SIZE characters (the last may be less)."""
    pending, size = [], 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= WRITE_SIZE:
            yield "".join(pending)
            pending, size = [], 0
    yield "".join(pending)


class Command(BaseCommand):
    help = (
        "Export verdicts (csv, json, claimreview, html) for the claims the queue's filters "
        "select; writes to standard output unless --output is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--state", help="unverified, corroborated or disputed.")
        parser.add_argument(
            "--reviewer",
            help=f"Open assignment to this reviewer (username or id), or '{UNASSIGNED}'.",
        )
        parser.add_argument("--claimant", help="Claimant contains this text.")
        parser.add_argument("--source", help="Appeared in the source with this id.")
        parser.add_argument("--created-from", help="Created on or after (YYYY-MM-DD).")
        parser.add_argument("--created-to", help="Created on or before (YYYY-MM-DD).")
        parser.add_argument("--search", help="Words in the claim or claimant.")
        parser.add_argument(
            "--sort", choices=sorted(SORTS), help="The queue's sort orders (default: by id)."
        )

    def handle(self, *args, format: str, output: str | None, **options):
        # An export makes millions of short-lived rows and strings and no reference cycles:
        # the cycle collector's passes over them took a sixth of the run.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._export(format, output, options)
        finally:
            if collecting:
                gc.enable()

    def _export(self, format: str, output: str | None, options):
        params = self._params(options)
        stream = open(output, "w", encoding="utf-8", newline="") if output else self.stdout._out  # noqa: SIM115
        # A bar only for a person watching a terminal; never mixed into piped output.
        show_bar = sys.stderr.isatty() and (output is not None or not self.stdout.isatty())
        try:
            try:
                total, chunks = export(
                    format, params, strict=True, progress=self._progress if show_bar else None
                )
            except ValidationError as error:
                raise CommandError(
                    "; ".join(
                        f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()
                    )
                ) from error
            try:
                for text in _batched(chunks):
                    stream.write(text)
            except BrokenPipeError:  # the reader (head, less) has all it wants
                return
        finally:
            if output:
                stream.close()
            else:
                with contextlib.suppress(BrokenPipeError):
                    stream.flush()
        if output:
            self.stderr.write(f"Wrote {format} for the {total:,} selected claims to {output}.")

    def _progress(self, claims, total):
        return tqdm(claims, total=total, unit=" claims", file=sys.stderr, leave=False)

    def _params(self, options) -> QueryDict:
        params = QueryDict(mutable=True)
        for option, name in FILTER_OPTIONS.items():
            value = options.get(option)
            if value not in (None, ""):
                params[name] = str(value)
        reviewer = params.get("reviewer")
        if reviewer and reviewer != UNASSIGNED and not reviewer.isdigit():
            user = get_user_model().objects.filter(username=reviewer).first()
            if user is None:
                raise CommandError(f"reviewer: no user named {reviewer!r}.")
            params["reviewer"] = str(user.pk)
        return params

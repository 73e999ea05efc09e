"""Reading claims back from the CSV and JSON exports, for ``import_claims``.

A file is read twice: once to check everything, collecting every problem with its line and
field, and, only if there was none, again inside the import's one transaction (see
``services.claim_import``). Neither pass holds the whole file: records are parsed one at a time
(``read``, by format in ``csv`` and ``json``, each field by ``fields``, the rules in ``check``).

What comes back: the claims with their text, claimant, date, state, rationale, verdict dates,
sources (JSON; matched to sources already on file by URL) and evidence links (JSON: all of
them, retracted ones with their reason; CSV: the standing URLs by stance). Reviewers and the
original audit history do not come back: people are accounts on a desk, not names in a file,
and a hash chain cannot move to new claim numbers. Each imported claim starts a new chain with a
``claim.imported`` event that names the file, its line and the claim's number there.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims import services
from claims.interchange.exports.reader import small_page_cache
from claims.interchange.imports.check import OnFile
from claims.interchange.imports.read import read_claims
from claims.interchange.imports.records import ImportedClaim, ImportFileError, RecordProblems

# Problems shown for a file; the check stops reading once it has found this many.
MAX_ERRORS = 200


@dataclass
class FileCheck:
    """What checking a file found: how many claims it holds, and the problems to show."""

    claims: int = 0
    problems: list[str] = field(default_factory=list)
    found: int = 0  # problems, those not shown included

    def add(self, record: RecordProblems) -> None:
        self.problems.extend(record.lines())
        self.found += len(record)


def validate_file(path: Path, *, progress=None) -> FileCheck:
    """Every problem in the file (up to ``MAX_ERRORS``) and the number of claims it holds.

    Claims already on file (same text, claimant and date) are problems: importing the same
    file twice would otherwise double them. ``progress`` wraps the records as they are read
    (the command's progress bar).
    """
    on_file, check = OnFile(), FileCheck()
    try:
        records = read_claims(path)
        for record in progress(records) if progress else records:
            if isinstance(record, RecordProblems):
                check.add(record)
            else:
                check.claims += 1
                if record in on_file:
                    check.add(_already_on_file(record))
            if len(check.problems) >= MAX_ERRORS:
                check.problems.append(
                    ngettext(
                        "... stopped after %(count)d problem",
                        "... stopped after %(count)d problems",
                        check.found,
                    )
                    % {"count": check.found}
                )
                break
    except ImportFileError as error:
        check.problems.extend(error.problems)
        check.found += error.found
    if check.claims == 0 and not check.problems:
        check.problems.append(_("%(file)s: no claims in the file") % {"file": path})
        check.found += 1
    return check


def _already_on_file(claim: ImportedClaim) -> RecordProblems:
    message = _(
        "line %(line)d, text: duplicate: this claim (same text, claimant and date) is already "
        "on file"
    )
    return RecordProblems(claim.line, [message % {"line": claim.line}])


def valid_claims(path: Path) -> Iterator[ImportedClaim]:
    """The file's claims, for the import's second pass; any problem now stops it."""
    for record in read_claims(path):
        if isinstance(record, RecordProblems):
            raise ImportFileError(record.lines(), found=len(record))
        yield record


def import_file(
    path: Path,
    *,
    actor,
    checking: Callable[[Iterable], Iterable] | None = None,
    importing: Callable[[Iterable, int], Iterable] | None = None,
) -> int:
    """Check the whole file, then import all of its claims or none; how many were imported.

    ``ImportFileError`` names the problems, ``PermissionDenied`` refuses a non-editor, and a
    ``DatabaseError`` rolls back what was written. ``checking(records)`` and
    ``importing(claims, total)`` may wrap each pass's records (progress bars).
    """
    path = Path(path)
    check = validate_file(path, progress=checking)
    if check.problems:
        raise ImportFileError(check.problems, found=check.found)
    claims = valid_claims(path)
    if importing is not None:
        claims = importing(claims, check.claims)
    # The desk's large SQLite page cache would only hold the new rows: keep it small.
    with small_page_cache():
        return services.claim_import(actor=actor, claims=claims, file_name=path.name)


__all__ = [
    "MAX_ERRORS",
    "FileCheck",
    "ImportFileError",
    "ImportedClaim",
    "import_file",
    "read_claims",
    "valid_claims",
    "validate_file",
]

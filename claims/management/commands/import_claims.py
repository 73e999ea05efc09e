"""Import claims from a CSV or JSON file written by export_verdicts, all or nothing."""

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from claims.interchange.imports import ImportFileError, import_file


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse takes only a str, not a lazy translation.
        return _(
            "Import claims from a CSV or JSON export. Everything is checked first; any problem "
            "(named by line and field) imports nothing."
        )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The .csv or .json file."))
        parser.add_argument(
            "--actor", required=True, help=_("Username of the editor the import is recorded as.")
        )

    def handle(self, *args, path: str, actor: str, **options):
        started = time.monotonic()
        user = get_user_model().objects.filter(username=actor).first()
        if user is None:
            raise CommandError(_("--actor: no user named %(name)r.") % {"name": actor})
        file = Path(path)
        # Bars only for a person watching a terminal: one while the file is checked (its size
        # unknown until then), one while it is written.
        bars = sys.stderr.isatty()
        try:
            imported = import_file(
                file,
                actor=user,
                checking=self._bar(_("Checking")) if bars else None,
                importing=self._bar(_("Importing")) if bars else None,
            )
        except ImportFileError as error:
            heading = ngettext(
                "Nothing imported: %(count)s problem in %(file)s:",
                "Nothing imported: %(count)s problems in %(file)s:",
                error.found,
            ) % {"count": number_format(error.found, force_grouping=True), "file": file}
            raise CommandError(f"{heading}\n{error}") from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            # The check should leave the database nothing to refuse; should it refuse a row
            # anyway, the transaction is rolled back and the reason beats a traceback.
            raise CommandError(
                _("Nothing imported: the database refused a row: %(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            ngettext(
                "Imported %(count)s claim from %(file)s in %(seconds).1f s.",
                "Imported %(count)s claims from %(file)s in %(seconds).1f s.",
                imported,
            )
            % {
                "count": number_format(imported, force_grouping=True),
                "file": file,
                "seconds": time.monotonic() - started,
            }
        )

    @staticmethod
    def _bar(label: str):
        def wrap(items, total=None):
            return tqdm(
                items, desc=label, total=total, unit=_(" claims"), file=sys.stderr, leave=False
            )

        return wrap

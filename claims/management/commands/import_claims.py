"""Import claims from a CSV or JSON file written by export_verdicts, all or nothing."""

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from tqdm import tqdm

from claims import services
from claims.interchange.exports.reader import small_page_cache
from claims.interchange.imports import ImportFileError, valid_claims, validate_file


class Command(BaseCommand):
    help = (
        "Import claims from a CSV or JSON export. Everything is checked first; any problem "
        "(named by line and field) imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .csv or .json file.")
        parser.add_argument(
            "--actor", required=True, help="Username of the editor the import is recorded as."
        )

    def handle(self, *args, path: str, actor: str, **options):
        started = time.monotonic()
        user = get_user_model().objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"--actor: no user named {actor!r}.")
        file = Path(path)
        # Bars only for a person watching a terminal: one while the file is checked (its size
        # unknown until then), one while it is written.
        show_bars = sys.stderr.isatty()
        count, problems = validate_file(
            file, progress=self._bar(_("Checking")) if show_bars else None
        )
        if problems:
            raise CommandError(
                f"Nothing imported: {len(problems)} problem(s) in {file}:\n" + "\n".join(problems)
            )
        claims = valid_claims(file)
        if show_bars:
            claims = self._bar(_("Importing"), total=count)(claims)
        try:
            # The desk's large SQLite page cache would only hold the new rows: keep it small.
            with small_page_cache():
                imported = services.claim_import(actor=user, claims=claims, file_name=file.name)
        except ImportFileError as error:
            raise CommandError(f"Nothing imported: {error}") from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            # The check above should leave the database nothing to refuse; should it refuse a
            # row anyway, the transaction is rolled back and the reason beats a traceback.
            raise CommandError(f"Nothing imported: the database refused a row: {error}") from error
        self.stdout.write(
            f"Imported {imported:,} claims from {file} in {time.monotonic() - started:.1f} s."
        )

    @staticmethod
    def _bar(label: str, total: int | None = None):
        def wrap(items):
            return tqdm(
                items, desc=label, total=total, unit=" claims", file=sys.stderr, leave=False
            )

        return wrap

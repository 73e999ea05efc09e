"""Restore a backup made by ``manage.py backup`` into an empty database."""

import time

from django.core.management.base import BaseCommand, CommandError

from claims.backups.archive import backup_check, backup_restore
from claims.backups.database import BackupError, database_name, emptiness


class Command(BaseCommand):
    help = (
        "Restore a backup (a folder or .tar file from manage.py backup) into the configured "
        "database, which must be empty: no tables, or freshly migrated with no claims and no "
        "audit events. Its checkpoint files go to AUDIT_CHECKPOINT_DIR. Asks you to type the "
        "database's name first, unless --noinput."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="The backup's folder or .tar file.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (for scripts).",
        )

    def handle(self, *args, path: str, interactive: bool, **options):
        try:
            manifest = backup_check(path)
            empty, why = emptiness()
            if not empty:
                raise BackupError(
                    f"The database is not empty ({why}); restore only into an empty one."
                )
            if interactive:
                self._confirm(manifest)
            started = time.monotonic()
            restored = backup_restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in restored.kept_files:
            self.stderr.write(
                f"Kept {name} as it was: AUDIT_CHECKPOINT_DIR has another file so named."
            )
        self.stdout.write(
            f"Restored {manifest['claims']:,} claims and {manifest['events']:,} audit events "
            f"from {manifest['created_at']}, and {len(restored.checkpoint_files):,} checkpoint "
            f"files, in {time.monotonic() - started:.1f} s. Next: manage.py migrate, then "
            "manage.py verify_audit --checkpoint <a checkpoint file>."
        )

    def _confirm(self, manifest: dict) -> None:
        name = database_name()
        self.stdout.write(
            f"This restores the backup of {manifest['created_at']} ({manifest['claims']:,} "
            f"claims, {manifest['events']:,} audit events) into the database {name!r}."
        )
        answer = input(f"Type the database's name ({name}) to go on: ")
        if answer.strip() != name:
            raise CommandError("Not confirmed: nothing was restored.")

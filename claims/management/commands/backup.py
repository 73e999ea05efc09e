"""Take an online backup: the database, the audit checkpoints' files and a manifest."""

import time

from django.core.management.base import BaseCommand, CommandError

from claims.backups.archive import backup_make
from claims.backups.database import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's backup API, or pg_dump --format=custom), while the desk "
        "writes on, with AUDIT_CHECKPOINT_DIR's files and a manifest, into PATH: a new folder, "
        "or a tar file when PATH ends in .tar."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="A folder or .tar file that is not there.")

    def handle(self, *args, path: str, **options):
        started = time.monotonic()
        try:
            manifest = backup_make(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        checkpoint = manifest["checkpoint"]
        signed = (
            f"newest checkpoint at {checkpoint['tree_size']:,} events"
            if checkpoint
            else "no checkpoint yet"
        )
        self.stdout.write(
            f"Backed up {manifest['vendor']}: {manifest['claims']:,} claims, "
            f"{manifest['events']:,} audit events, {signed}, "
            f"{len(manifest['checkpoint_files']):,} checkpoint files, to {path} "
            f"in {time.monotonic() - started:.1f} s."
        )

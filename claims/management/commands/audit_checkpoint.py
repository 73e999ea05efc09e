"""Sign the audit log's current tree head and write the checkpoint out of the database's reach."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.audit.checkpoints import checkpoint_json, make_checkpoint
from claims.audit.signing import NoSigningKey


class Command(BaseCommand):
    help = (
        "Give every new audit event its place in the Merkle log, sign the tree's size and root "
        "with AUDIT_SIGNING_KEY, store the checkpoint, write it to AUDIT_CHECKPOINT_DIR and "
        "print it. Nothing is signed when the log has not grown, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Sign the head even if it was signed already."
        )

    def handle(self, *args, force: bool, **options):
        try:
            checkpoint = make_checkpoint(force=force)
        except NoSigningKey as error:
            raise CommandError(str(error)) from error
        if checkpoint is None:
            self.stderr.write("The audit log has not grown since the last checkpoint.")
            return
        self.stdout.write(checkpoint_json(checkpoint))
        if settings.AUDIT_CHECKPOINT_DIR:
            self.stderr.write(f"Also written to {settings.AUDIT_CHECKPOINT_DIR}.")

"""Show the public key that checks the desk's audit checkpoints, or make a new signing key."""

from django.core.management.base import BaseCommand, CommandError

from claims.audit.signing import (
    NoSigningKey,
    key_id,
    new_private_key_text,
    private_key_from,
    public_key_text,
    signing_key,
)


class Command(BaseCommand):
    help = (
        "Print the public key (base64) and key id of AUDIT_SIGNING_KEY, to give to readers "
        "and partners; with --new, make a new private key for AUDIT_SIGNING_KEY instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new",
            action="store_true",
            help="Print a new private key (keep it outside the database) and its public key.",
        )

    def handle(self, *args, new: bool, **options):
        if new:
            private = new_private_key_text()
            public = private_key_from(private).public_key()
            self.stdout.write(f"AUDIT_SIGNING_KEY={private}")
            self.stdout.write(f"public key: {public_key_text(public)}  (key id {key_id(public)})")
            return
        try:
            public = signing_key().public_key()
        except NoSigningKey as error:
            raise CommandError(str(error)) from error
        self.stdout.write(public_key_text(public))
        self.stdout.write(f"key id {key_id(public)}", self.style.NOTICE)

"""Check that the verdicts in an export carry their history's proof of inclusion in a signed
checkpoint of the desk's audit log (``claims/audit/proofcheck.py``, which readers can run
without the desk)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.audit.proofcheck import check_claim, public_key_from, signed_head
from claims.audit.signing import has_signing_key, signing_key


class Command(BaseCommand):
    help = (
        "Check each claim of a JSON export (or one claim's object): its audit proof against "
        "the checkpoint it names, signed with the given public key, and that the proof is for "
        "the history the file shows. Exit non-zero naming each claim that fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a JSON export, or one claim's object from it")
        parser.add_argument(
            "--public-key",
            help="the desk's public key (base64, as audit_key prints it); by default the key "
            "AUDIT_SIGNING_KEY holds",
        )

    def handle(self, *args, file: str, public_key: str | None, **options):
        try:
            document = json.loads(Path(file).read_text(encoding="utf-8"))
            key = (
                public_key_from(public_key)
                if public_key
                else signing_key().public_key()
                if has_signing_key()
                else None
            )
        except (OSError, ValueError) as error:
            raise CommandError(f"{file}: {error}") from error
        if key is None:
            raise CommandError("Give the desk's public key with --public-key.")
        claims = document if isinstance(document, list) else [document]
        failed = []
        for claim in claims:
            problems = check_claim(claim, key)
            if problems:
                failed.append(claim.get("id"))
                self.stdout.write(f"NOT PROVED claim {claim.get('id')}: " + "; ".join(problems))
            else:
                size, _root = signed_head(claim["audit_proof"]["checkpoint"])
                self.stdout.write(
                    f"claim {claim.get('id')}: its history of {len(claim.get('history') or [])} "
                    f"events is in the log of {size:,} events the key signed at "
                    f"{claim['audit_proof']['checkpoint']['time']}"
                )
        if failed:
            raise CommandError(f"{len(failed)} of {len(claims)} verdicts not proved.")

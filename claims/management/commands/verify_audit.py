"""Recompute every claim's audit hash chain and report the first break in each."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext
from tqdm import tqdm

from claims.audit.chain import Tally, verify_all
from claims.audit.checkpoints import (
    LogReport,
    NotACheckpoint,
    desk_public_keys,
    read_checkpoint_file,
    verify_checkpoints,
)
from claims.models import AuditEvent


def _count(number: int, one: str, many: str) -> str:
    return ngettext(one, many, number) % {"count": f"{number:,}"}


def _events(number: int) -> str:
    return _count(number, "%(count)s event", "%(count)s events")


def _claims(number: int) -> str:
    return _count(number, "%(count)s claim", "%(count)s claims")


def _deleted_claims(number: int) -> str:
    return _count(number, "%(count)s deleted claim", "%(count)s deleted claims")


class Command(BaseCommand):
    help = (
        "Recompute every claim's audit hash chain; exit non-zero naming each broken claim "
        "and the first bad event in it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=5000,
            help="Events fetched from the database at a time (default 5000).",
        )
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="Also check the log against this checkpoint file, kept outside the database.",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="KEY",
            help="A public key (base64) checkpoints may be signed with, besides the desk's own.",
        )

    def handle(self, *args, chunk_size: int, checkpoint: list, public_key: list, **options):
        started = time.monotonic()
        try:
            kept = [read_checkpoint_file(path) for path in checkpoint]
            keys = desk_public_keys(public_key)
        except (NotACheckpoint, ValueError) as error:
            raise CommandError(str(error)) from error
        on_terminal = self.stdout.isatty()
        total = AuditEvent.objects.count() if on_terminal else None
        with tqdm(total=total, unit=" events", disable=not on_terminal, smoothing=0.1) as bar:
            tally = verify_all(
                chunk_size=chunk_size,
                on_events=bar.update,
                alongside=lambda: verify_checkpoints(kept, public_key, keys=keys),
            )
        log = tally.alongside
        self._report_log(log, options["verbosity"])
        self._report(tally, time.monotonic() - started, options["verbosity"], log)

    def _report_log(self, log: LogReport, verbosity: int) -> None:
        for problem in log.problems:
            self.stdout.write(f"REWRITTEN {problem}")
        if not log.checked and verbosity >= 2:
            self.stdout.write(
                "No checkpoint yet: the chains alone are checked (python manage.py "
                "audit_checkpoint signs one)."
            )
        elif not log.problems and log.newest is not None:
            self.stdout.write(
                f"Log of {_events(log.size)} consistent with {log.checked:,} signed "
                f"checkpoint(s); the newest ({log.newest.where}, {log.newest.head.size:,} "
                f"events) by a consistency proof of {log.proof_length} hashes."
            )

    def _report(self, tally: Tally, elapsed: float, verbosity: int, log: LogReport) -> None:
        problems = tally.all_problems
        for claim_id in sorted(problems):
            gone = " (claim deleted)" if claim_id in tally.orphan_problems else ""
            self.stdout.write(f"BROKEN {problems[claim_id]}{gone}")
        for claim_id in sorted(tally.row_problems):
            for difference in tally.row_problems[claim_id]:
                self.stdout.write(f"CHANGED {difference}")
        if tally.row_problems and not problems:
            raise CommandError(
                f"Rows changed behind the services: "
                f"{_claims(len(tally.row_problems))} differ from what their events replay to; "
                f"{_events(tally.events)} checked in {elapsed:.1f} s."
            )
        if log.problems and not problems:
            raise CommandError(
                f"Audit log rewritten: {len(log.problems):,} checkpoint problem(s), though "
                f"every chain recomputes; {_events(tally.events)} checked in {elapsed:.1f} s."
            )
        if problems:
            raise CommandError(
                f"Audit trail broken: "
                f"{_count(len(problems), '%(count)s chain', '%(count)s chains')} broken "
                f"({len(tally.problems):,} of {_claims(tally.claims)}, "
                f"{len(tally.orphan_problems):,} of {_deleted_claims(tally.orphan_chains)})"
                f"; {_events(tally.events + tally.orphan_events)} checked in {elapsed:.1f} s."
            )
        orphans = ""
        if tally.orphan_chains:
            orphans = (
                f" Also {_events(tally.orphan_events)} of "
                f"{_deleted_claims(tally.orphan_chains)}, checked for their links only."
            )
        self.stdout.write(
            f"Audit trail intact: {_events(tally.events)} in {_claims(tally.claims)}.{orphans}"
        )
        if verbosity >= 2:
            self.stdout.write(f"Verified in {elapsed:.1f} s.")

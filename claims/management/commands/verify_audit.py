"""Recompute every claim's audit hash chain and report the first break in each.

Events are streamed in (claim, sequence) order as plain rows, so a million events verify in
seconds without building model instances; claim heads are read in one pass beforehand. History
whose claim row is gone is checked for its internal links only and counted separately.
"""

import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from claims.audit import ChainProblem, iter_chains, verify_chain
from claims.models import AuditEvent, Claim

# The fields event_hash reads, plus the row id to name a bad event by.
EVENT_FIELDS = (
    "id",
    "claim_id",
    "sequence",
    "action",
    "actor_id",
    "actor_name",
    "created_at",
    "data",
    "previous_hash",
    "hash",
)
LOOKUP_BATCH = 500  # ids per ``pk__in`` query, under SQLite's parameter limit


@dataclass
class Tally:
    """What one run saw: chains and events of existing claims, and of deleted claims."""

    claims: int = 0
    events: int = 0
    orphan_chains: int = 0
    orphan_events: int = 0
    problems: dict[int, ChainProblem] = field(default_factory=dict)
    orphan_problems: dict[int, ChainProblem] = field(default_factory=dict)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _event_rows(queryset):
    return queryset.values_list(*EVENT_FIELDS, named=True)


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

    def handle(self, *args, chunk_size: int, **options):
        started = time.monotonic()
        self.verbosity = options["verbosity"]
        tally = Tally()
        # Heads first, events second: a chain that grows in between is then only ever longer
        # than its recorded head, never shorter, and is re-checked under the claim's lock.
        heads = {
            pk: (length, head)
            for pk, length, head in Claim.objects.order_by()
            .values_list("pk", "audit_length", "audit_head")
            .iterator(chunk_size=chunk_size)
        }
        tally.claims = len(heads)
        on_terminal = self.stdout.isatty()
        total = AuditEvent.objects.count() if on_terminal else None
        recheck: list[int] = []
        orphans: dict[int, int] = {}  # claim id -> events, for chains whose claim is missing

        events = _event_rows(AuditEvent.objects.order_by("claim_id", "sequence"))
        with tqdm(total=total, unit=" events", disable=not on_terminal, smoothing=0.1) as bar:
            for claim_id, chain in iter_chains(events.iterator(chunk_size=chunk_size)):
                bar.update(len(chain))
                head = heads.pop(claim_id, None)
                problem = verify_chain(claim_id, chain, head)
                if head is None:
                    orphans[claim_id] = len(chain)
                    if problem:
                        tally.orphan_problems[claim_id] = problem
                    continue
                if problem and chain[-1].sequence > head[0]:
                    recheck.append(claim_id)  # perhaps written to since the heads were read
                    continue
                tally.events += len(chain)
                if problem:
                    tally.problems[claim_id] = problem

        for claim_id, (length, head_hash) in heads.items():
            if length:  # the claim records events and not one of them is left
                tally.problems[claim_id] = ChainProblem(
                    claim_id,
                    None,
                    1,
                    f"missing; the claim records {length} events ending in {head_hash[:12]}, "
                    "the table holds none: all its events were deleted",
                )

        # A "deleted" claim may have been created after the heads were read.
        created_since = self._existing(list(orphans))
        tally.claims += len(created_since)
        for claim_id in created_since:
            tally.orphan_problems.pop(claim_id, None)
            del orphans[claim_id]
        tally.orphan_chains, tally.orphan_events = len(orphans), sum(orphans.values())
        for claim_id in [*recheck, *created_since]:
            tally.events += self._recheck(claim_id, tally)

        self._report(tally, time.monotonic() - started)

    def _existing(self, claim_ids: list[int]) -> list[int]:
        found = []
        for start in range(0, len(claim_ids), LOOKUP_BATCH):
            batch = claim_ids[start : start + LOOKUP_BATCH]
            found.extend(Claim.objects.filter(pk__in=batch).values_list("pk", flat=True))
        return found

    def _recheck(self, claim_id: int, tally: Tally) -> int:
        """Verify one chain again with its claim row locked, as the services lock it to write."""
        with transaction.atomic():
            head = (
                Claim.objects.select_for_update()
                .filter(pk=claim_id)
                .values_list("audit_length", "audit_head")
                .first()
            )
            chain = list(_event_rows(AuditEvent.objects.filter(claim_id=claim_id)))
        problem = verify_chain(claim_id, chain, head)
        if problem:
            tally.problems[claim_id] = problem
        return len(chain)

    def _report(self, tally: Tally, elapsed: float) -> None:
        problems = {**tally.problems, **tally.orphan_problems}
        for claim_id in sorted(problems):
            gone = " (claim deleted)" if claim_id in tally.orphan_problems else ""
            self.stdout.write(f"BROKEN {problems[claim_id]}{gone}")
        orphans = ""
        if tally.orphan_chains:
            orphans = (
                f" Also {_count(tally.orphan_events, 'event')} of "
                f"{_count(tally.orphan_chains, 'deleted claim')}, checked for their links only."
            )
        if problems:
            raise CommandError(
                f"Audit trail broken: {_count(len(problems), 'chain')} broken "
                f"({len(tally.problems):,} of {_count(tally.claims, 'claim')}, "
                f"{len(tally.orphan_problems):,} of {_count(tally.orphan_chains, 'deleted claim')})"
                f"; {_count(tally.events + tally.orphan_events, 'event')} checked "
                f"in {elapsed:.1f} s."
            )
        self.stdout.write(
            f"Audit trail intact: {_count(tally.events, 'event')} "
            f"in {_count(tally.claims, 'claim')}.{orphans}"
        )
        if self.verbosity >= 2:
            self.stdout.write(f"Verified in {elapsed:.1f} s.")

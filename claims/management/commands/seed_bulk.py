"""Append synthetic claims at benchmark scale (``claims.demo.bulk``) and print what was written."""

from django.core.management.base import BaseCommand, CommandError

from claims.demo.bulk import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS, SeedingFailed, seed_bulk


class Command(BaseCommand):
    help = (
        "Append N synthetic claims with evidence, reviewer assignments, signed-off verdicts and "
        "valid audit chains (for benchmarks; bypasses the services)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="How many claims to add.")
        parser.add_argument("--seed", type=int, help="Seed for a repeatable random generator.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Claims per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help="Processes that build batches (default: CPUs, at most 4); 0 builds in-process.",
        )

    def handle(self, *args, claims: int, seed, batch_size: int, workers: int, **options):
        if claims < 0 or batch_size < 1 or workers < 0:
            raise CommandError("--claims and --workers must be 0 or more, --batch-size 1 or more.")
        try:
            seeded = seed_bulk(
                claims=claims,
                seed=seed,
                batch_size=batch_size,
                workers=workers,
                progress=self.stdout.isatty(),
            )
        except SeedingFailed as error:
            raise CommandError(str(error)) from error
        rows = seeded.rows
        self.stdout.write(
            f"Seeded {rows['claims']:,} claims, {rows['evidence']:,} evidence links, "
            f"{rows['assignments']:,} assignments, {rows['appearances']:,} appearances, "
            f"{rows['proposals']:,} proposed verdicts, {rows['publications']:,} publications, "
            f"{rows['events']:,} audit events and {seeded.sources:,} sources "
            f"in {seeded.seconds:.1f} s."
        )

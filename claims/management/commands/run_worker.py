"""manage.py run_worker: the background worker (claims/background/worker.py)."""

import argparse
import math

from django.core.management.base import BaseCommand

from claims.background.worker import run_worker, set_log_verbosity


def seconds(value: str) -> float:
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise argparse.ArgumentTypeError("must be a number of seconds above 0")
    return number


class Command(BaseCommand):
    help = (
        "Run queued tasks (of the backend TASKS_URL picks) and the periodic jobs of "
        "FACTCHECK_PERIODIC_JOBS until SIGTERM or SIGINT, which let the task under way finish."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="run the due periodic jobs (all of them: it is a start), then every task "
            "queued and due, then exit",
        )
        parser.add_argument(
            "--interval",
            type=seconds,
            default=1.0,
            metavar="SECONDS",
            help="the longest wait between passes over the queue when idle (default: 1)",
        )

    def handle(self, *args, once, interval, verbosity, **options):
        set_log_verbosity(verbosity)
        run_worker(once=once, interval=interval)

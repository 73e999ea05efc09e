"""Time audit checkpoints and verify_audit on a database of seed_bulk claims; print the figures.

    .venv/bin/python bench/audit_bench.py --database-url sqlite:////tmp/bulk.sqlite3
    .venv/bin/python bench/audit_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/factcheck_bench

The database is prepared as ``ui_bench.py`` prepares it (migrated, topped up to ``--claims``
claims of about ten events each). Then, with a signing key made for the run: the first
checkpoint, which places every event in the log and folds the whole tree (issue 15: under 5 s
over 1,000,000 events); a checkpoint after a few new events, resumed from the last one's
frontier; and ``verify_audit`` (every chain, every checkpoint, the consistency proof), each run
as the command a desk runs. The checkpoints it makes stay in the database's append-only log,
signed with a key kept in the temporary directory for the next run (AUDIT_SIGNING_KEY, when
set, instead): checkpoints signed with a key since lost would be reported, rightly.
"""

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The sibling script, found through the path set above.
from ui_bench import bench_parser, configure, prepare_database, python_speed_ms


def timed(command: str, *args) -> tuple[float, str]:
    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    started = time.perf_counter()
    call_command(command, *args, stdout=out, stderr=err)
    return time.perf_counter() - started, out.getvalue() + err.getvalue()


def add_events(count: int) -> None:
    """A few new events, through the services, so the next checkpoint has something to add."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims import services
    from claims.models import Claim, Stance
    from claims.permissions import EDITORS_GROUP

    editor, _created = get_user_model().objects.get_or_create(username="audit-bench-editor")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    claim = Claim.objects.order_by("-id").first()
    for number in range(count):
        services.evidence_add(
            actor=editor,
            claim=claim,
            stance=Stance.SUPPORTS,
            url=f"https://bench.example/{time.time_ns()}-{number}",
        )


def main() -> None:
    parser = bench_parser(__doc__, runs=None)
    options = parser.parse_args()

    from claims.audit.signing import new_private_key_text

    kept = Path(tempfile.gettempdir()) / "factcheck-audit-bench.key"
    if not os.environ.get("AUDIT_SIGNING_KEY"):
        if not kept.exists():
            kept.write_text(new_private_key_text())
        os.environ["AUDIT_SIGNING_KEY"] = kept.read_text()
    os.environ["AUDIT_CHECKPOINT_DIR"] = ""
    configure(options)
    prepare_database(options.claims, options.seed)

    from django.db import connection

    from claims.models import AuditCheckpoint, AuditEvent, AuditLogEntry, Claim

    print(
        f"\n{connection.vendor} {options.database_url}: {Claim.objects.count():,} claims, "
        f"{AuditEvent.objects.count():,} events, {AuditLogEntry.objects.count():,} already in "
        f"the log, {AuditCheckpoint.objects.count():,} checkpoints; this CPU adds 10^7 "
        f"integers in Python in {python_speed_ms():.0f} ms"
    )
    first, _out = timed("audit_checkpoint", "--force")
    print(f"checkpoint (places the new events, folds the tree)  {first:6.2f} s")
    add_events(10)
    again, _out = timed("audit_checkpoint")
    print(f"checkpoint after 10 more events (from the frontier)  {again:6.2f} s")
    verified, out = timed("verify_audit")
    last = [line for line in out.splitlines() if line.strip()]
    print(f"verify_audit                                         {verified:6.2f} s")
    for line in last[-2:]:
        print(f"  {line}")


if __name__ == "__main__":
    main()

"""Indexes the desk dashboard reads instead of claims: verdict dates, unverified claims by age,
open assignments by claim, and each claim's time to its first verdict in order, so the median is
one step along an index.

Written as SQL rather than ``Meta.indexes`` because the time-to-verdict index is an expression
that differs by database (SQLite stores datetimes as text and subtracts them with ``julianday``;
PostgreSQL subtracts timestamps), and they belong together. They are invisible to the model
state on purpose: ``claims.dashboard`` writes the matching expressions and says so.
"""

from django.db import migrations

COMMON = [
    # Verdicts per week and "reached this week": range counts on the date alone.
    "CREATE INDEX claim_first_verdict_idx ON claims_claim (first_verdict_at) "
    "WHERE first_verdict_at IS NOT NULL",
    # Unverified claims by age: range counts within one state.
    "CREATE INDEX claim_state_created_idx ON claims_claim (state, created_at)",
    # Claims with an open (overdue) assignment: distinct claims read in order, no sorting.
    "CREATE INDEX assignment_open_claims_idx ON claims_assignment (status, claim_id, due_on)",
]
SQLITE = [
    "CREATE INDEX claim_verdict_delay_idx ON claims_claim "
    "((julianday(first_verdict_at) - julianday(created_at))) WHERE first_verdict_at IS NOT NULL",
]
POSTGRESQL = [
    # INCLUDE lets the median be read from the index alone (an index-only scan).
    "CREATE INDEX claim_verdict_delay_idx ON claims_claim ((first_verdict_at - created_at)) "
    "INCLUDE (first_verdict_at, created_at) WHERE first_verdict_at IS NOT NULL",
]
DROP = [
    "DROP INDEX IF EXISTS claim_first_verdict_idx",
    "DROP INDEX IF EXISTS claim_state_created_idx",
    "DROP INDEX IF EXISTS claim_verdict_delay_idx",
    "DROP INDEX IF EXISTS assignment_open_claims_idx",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    specific = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, [])
    for statement in COMMON + specific:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_claim_search_document")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

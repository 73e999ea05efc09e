"""Full-text index over claim text and claimant: FTS5 on SQLite, GIN on PostgreSQL."""

from django.db import migrations

from claims.db.triggers import CLAIM_FTS_SQLITE, CLAIM_FTS_SQLITE_DROP

# The FTS5 table and its triggers, then the table filled from the claims already there.
SQLITE_CREATE = [
    *CLAIM_FTS_SQLITE,
    "INSERT INTO claims_claim_fts(claims_claim_fts) VALUES ('rebuild')",
]
# Replaced by migration 0008's stored search document.
PG_CREATE = [
    "CREATE INDEX claims_claim_search_idx ON claims_claim USING GIN ("
    "to_tsvector('simple'::regconfig, coalesce(text, '') || ' ' || coalesce(claimant, '')))"
]
PG_DROP = ["DROP INDEX IF EXISTS claims_claim_search_idx"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": CLAIM_FTS_SQLITE_DROP, "postgresql": PG_DROP}.get(vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_source_version")]

    operations = [migrations.RunPython(forwards, backwards)]

"""PostgreSQL: keep each claim's search document as a stored column, not only in the index.

With the document only in an expression index, every match the GIN index returns was checked
again by computing ``to_tsvector`` over the claim's text: about 10 ms for the 8,000 matches of a
common word among 100,000 claims. A stored generated column is computed once per write and
rechecked by reading it. SQLite keeps its FTS5 table (migration 0005); there this does nothing.
"""

from django.db import migrations

from claims.db.triggers import SEARCH_DOCUMENT_PG, SEARCH_DOCUMENT_PG_DROP

PG_CREATE = [*SEARCH_DOCUMENT_PG, "DROP INDEX IF EXISTS claims_claim_search_idx"]
# Migration 0005's expression index back, then the column gone.
PG_DROP = [
    "CREATE INDEX IF NOT EXISTS claims_claim_search_idx ON claims_claim USING GIN ("
    "to_tsvector('simple'::regconfig, coalesce(text, '') || ' ' || coalesce(claimant, '')))",
    *SEARCH_DOCUMENT_PG_DROP,
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_CREATE:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_state_tally")]

    operations = [migrations.RunPython(forwards, backwards)]

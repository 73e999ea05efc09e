"""Full-text index over claim text and claimant: FTS5 on SQLite, GIN on PostgreSQL."""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE claims_claim_fts USING fts5(
        text, claimant, content='claims_claim', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER claims_claim_fts_insert AFTER INSERT ON claims_claim BEGIN
        INSERT INTO claims_claim_fts(rowid, text, claimant)
        VALUES (new.id, new.text, new.claimant);
    END""",
    """CREATE TRIGGER claims_claim_fts_delete AFTER DELETE ON claims_claim BEGIN
        INSERT INTO claims_claim_fts(claims_claim_fts, rowid, text, claimant)
        VALUES ('delete', old.id, old.text, old.claimant);
    END""",
    """CREATE TRIGGER claims_claim_fts_update AFTER UPDATE OF text, claimant ON claims_claim BEGIN
        INSERT INTO claims_claim_fts(claims_claim_fts, rowid, text, claimant)
        VALUES ('delete', old.id, old.text, old.claimant);
        INSERT INTO claims_claim_fts(rowid, text, claimant)
        VALUES (new.id, new.text, new.claimant);
    END""",
    "INSERT INTO claims_claim_fts(claims_claim_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_claim_fts_insert",
    "DROP TRIGGER IF EXISTS claims_claim_fts_delete",
    "DROP TRIGGER IF EXISTS claims_claim_fts_update",
    "DROP TABLE IF EXISTS claims_claim_fts",
]
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
    for statement in {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_source_version")]

    operations = [migrations.RunPython(forwards, backwards)]

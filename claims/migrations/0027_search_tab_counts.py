"""What the queue's tabs count a search by, read without reading whole claims.

PostgreSQL: the narrow copy ``claims_claim_search_tabs`` and the triggers that keep it
(``claims.db.triggers``). SQLite: an index on the claim's id, state and waiting time, which a
search's matches are looked up in (``claims.search.count_by_tab`` names it) instead of the
claim rows.
"""

from django.db import migrations

from claims.db.triggers import SEARCH_TABS_PG, SEARCH_TABS_PG_DROP

SQLITE_INDEX = (
    "CREATE INDEX claim_search_tabs_idx ON claims_claim (id, state, signoff_waiting_since)"
)
SQLITE_INDEX_DROP = "DROP INDEX IF EXISTS claim_search_tabs_idx"


def create(apps, schema_editor):
    statements = {"postgresql": SEARCH_TABS_PG, "sqlite": [SQLITE_INDEX]}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    statements = {"postgresql": SEARCH_TABS_PG_DROP, "sqlite": [SQLITE_INDEX_DROP]}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0026_audit_tiles")]

    operations = [migrations.RunPython(create, drop)]

"""Each claim's open reviews and the earliest due date among them, kept by triggers on the
assignment table.

Triggers for the same reason as the state tally (0007): assignments are written by the services,
in bulk by ``seed_bulk`` and by test factories, and the database is the one place every write
passes. Each change recounts the affected claim's open assignments from the (claim, status,
due_on) index: a few index entries, whatever the size of the desk.
"""

from django.db import migrations, models

from claims.db.triggers import (
    OPEN_REVIEWS_PG,
    OPEN_REVIEWS_PG_DROP,
    OPEN_REVIEWS_REFRESH,
    OPEN_REVIEWS_SQLITE,
    OPEN_REVIEWS_SQLITE_DROP,
)

CREATE = {"sqlite": OPEN_REVIEWS_SQLITE, "postgresql": OPEN_REVIEWS_PG}
DROP = {"sqlite": OPEN_REVIEWS_SQLITE_DROP, "postgresql": OPEN_REVIEWS_PG_DROP}


# Added by hand: for a NOT NULL column Django rebuilds a SQLite table, and the rebuilt table would
# lose the triggers already on it (the state tally's, the search index's). Both databases add a
# column with a default in place.
ADD_COLUMNS = [
    "ALTER TABLE claims_claim ADD COLUMN open_reviews integer NOT NULL DEFAULT 0 "
    "CHECK (open_reviews >= 0)",
    "ALTER TABLE claims_claim ADD COLUMN next_due_on date NULL",
]
DROP_COLUMNS = [
    "ALTER TABLE claims_claim DROP COLUMN next_due_on",
    "ALTER TABLE claims_claim DROP COLUMN open_reviews",
]


# The dashboard counted claims with open (overdue) work as distinct claim ids on this index;
# it now reads the claim rows' own figures, and the index would only slow every assignment write.
DROP_OPEN_CLAIMS_INDEX = "DROP INDEX IF EXISTS assignment_open_claims_idx"
CREATE_OPEN_CLAIMS_INDEX = (
    "CREATE INDEX assignment_open_claims_idx ON claims_assignment (status, claim_id, due_on)"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(DROP_OPEN_CLAIMS_INDEX, params=None)
    has_open_work = "id IN (SELECT claim_id FROM claims_assignment WHERE status = 'open')"
    schema_editor.execute(OPEN_REVIEWS_REFRESH.format(where=has_open_work), params=None)
    for statement in CREATE.get(vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(CREATE_OPEN_CLAIMS_INDEX, params=None)
    for statement in DROP.get(vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_dashboard_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="claim",
                    name="open_reviews",
                    field=models.PositiveIntegerField(
                        default=0, editable=False, verbose_name="open reviews"
                    ),
                ),
                migrations.AddField(
                    model_name="claim",
                    name="next_due_on",
                    field=models.DateField(
                        blank=True, editable=False, null=True, verbose_name="next review due"
                    ),
                ),
            ],
            database_operations=[migrations.RunSQL(ADD_COLUMNS, DROP_COLUMNS)],
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["state", "open_reviews"], name="claim_open_reviews_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["state", "next_due_on"], name="claim_next_due_idx"),
        ),
    ]

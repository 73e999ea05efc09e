"""Each claim's open reviews and the earliest due date among them, kept by triggers on the
assignment table.

Triggers for the same reason as the state tally (0007): assignments are written by the services,
in bulk by ``seed_bulk`` and by test factories, and the database is the one place every write
passes. Each change recounts the affected claim's open assignments from the (claim, status,
due_on) index: a few index entries, whatever the size of the desk.
"""

from django.db import migrations, models

# The claim columns, recomputed from the assignment rows of the claims WHERE names.
REFRESH = """UPDATE claims_claim SET
    open_reviews = (
        SELECT COUNT(*) FROM claims_assignment AS a
        WHERE a.claim_id = claims_claim.id AND a.status = 'open'
    ),
    next_due_on = (
        SELECT MIN(a.due_on) FROM claims_assignment AS a
        WHERE a.claim_id = claims_claim.id AND a.status = 'open'
    )
WHERE {where}"""

SQLITE_CREATE = [
    f"""CREATE TRIGGER claims_open_reviews_insert AFTER INSERT ON claims_assignment BEGIN
        {REFRESH.format(where="id = new.claim_id")};
    END""",
    f"""CREATE TRIGGER claims_open_reviews_update
    AFTER UPDATE OF status, due_on, claim_id ON claims_assignment BEGIN
        {REFRESH.format(where="id IN (old.claim_id, new.claim_id)")};
    END""",
    f"""CREATE TRIGGER claims_open_reviews_delete AFTER DELETE ON claims_assignment BEGIN
        {REFRESH.format(where="id = old.claim_id")};
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_open_reviews_insert",
    "DROP TRIGGER IF EXISTS claims_open_reviews_update",
    "DROP TRIGGER IF EXISTS claims_open_reviews_delete",
]
PG_CREATE = [
    f"""CREATE FUNCTION claims_open_reviews_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        claim_ids bigint[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            claim_ids := ARRAY[NEW.claim_id];
        ELSIF TG_OP = 'DELETE' THEN
            claim_ids := ARRAY[OLD.claim_id];
        ELSE
            claim_ids := ARRAY[OLD.claim_id, NEW.claim_id];
        END IF;
        {REFRESH.format(where="id = ANY(claim_ids)")};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER claims_open_reviews_insert_delete
    AFTER INSERT OR DELETE ON claims_assignment
    FOR EACH ROW EXECUTE FUNCTION claims_open_reviews_refresh()""",
    """CREATE TRIGGER claims_open_reviews_update
    AFTER UPDATE OF status, due_on, claim_id ON claims_assignment
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR OLD.due_on IS DISTINCT FROM NEW.due_on
        OR OLD.claim_id IS DISTINCT FROM NEW.claim_id
    )
    EXECUTE FUNCTION claims_open_reviews_refresh()""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS claims_open_reviews_insert_delete ON claims_assignment",
    "DROP TRIGGER IF EXISTS claims_open_reviews_update ON claims_assignment",
    "DROP FUNCTION IF EXISTS claims_open_reviews_refresh()",
]


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
    schema_editor.execute(REFRESH.format(where=has_open_work), params=None)
    for statement in {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(CREATE_OPEN_CLAIMS_INDEX, params=None)
    for statement in {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(vendor, []):
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

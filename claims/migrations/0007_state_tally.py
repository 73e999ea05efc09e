"""A count of claims per review state, kept by triggers on the claim table.

Triggers rather than service code because claims are also written in bulk (``seed_bulk``,
imports) and by test factories: the database is the one place every insert passes. On
PostgreSQL each change first locks every tally row in state order, so two transactions moving
claims between the same states queue up instead of deadlocking on each other's rows.
"""

from django.db import migrations, models

SQLITE_CREATE = [
    """CREATE TRIGGER claims_statetally_insert AFTER INSERT ON claims_claim BEGIN
        INSERT INTO claims_statetally(state, claims) VALUES (new.state, 1)
        ON CONFLICT(state) DO UPDATE SET claims = claims + 1;
    END""",
    """CREATE TRIGGER claims_statetally_delete AFTER DELETE ON claims_claim BEGIN
        UPDATE claims_statetally SET claims = claims - 1 WHERE state = old.state;
    END""",
    """CREATE TRIGGER claims_statetally_update AFTER UPDATE OF state ON claims_claim
    WHEN old.state IS NOT new.state BEGIN
        UPDATE claims_statetally SET claims = claims - 1 WHERE state = old.state;
        INSERT INTO claims_statetally(state, claims) VALUES (new.state, 1)
        ON CONFLICT(state) DO UPDATE SET claims = claims + 1;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_statetally_insert",
    "DROP TRIGGER IF EXISTS claims_statetally_delete",
    "DROP TRIGGER IF EXISTS claims_statetally_update",
]
PG_CREATE = [
    """CREATE FUNCTION claims_statetally_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM claims_statetally ORDER BY state FOR UPDATE;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE claims_statetally SET claims = claims - 1 WHERE state = OLD.state;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            INSERT INTO claims_statetally(state, claims) VALUES (NEW.state, 1)
            ON CONFLICT (state) DO UPDATE SET claims = claims_statetally.claims + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER claims_statetally_insert_delete AFTER INSERT OR DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_statetally_count()""",
    """CREATE TRIGGER claims_statetally_update AFTER UPDATE OF state ON claims_claim
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION claims_statetally_count()""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS claims_statetally_insert_delete ON claims_claim",
    "DROP TRIGGER IF EXISTS claims_statetally_update ON claims_claim",
    "DROP FUNCTION IF EXISTS claims_statetally_count()",
]
FILL = (
    "INSERT INTO claims_statetally(state, claims) "
    "SELECT state, COUNT(*) FROM claims_claim GROUP BY state"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(FILL, params=None)
    for statement in {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_queue_indexes")]

    operations = [
        migrations.CreateModel(
            name="StateTally",
            fields=[
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("unverified", "Unverified"),
                            ("corroborated", "Corroborated"),
                            ("disputed", "Disputed"),
                        ],
                        max_length=20,
                        primary_key=True,
                        serialize=False,
                        verbose_name="review state",
                    ),
                ),
                ("claims", models.BigIntegerField(default=0, verbose_name="claims")),
            ],
            options={"verbose_name": "state tally", "verbose_name_plural": "state tallies"},
        ),
        migrations.RunPython(forwards, backwards),
    ]

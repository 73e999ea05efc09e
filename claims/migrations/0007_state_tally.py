"""A count of claims per review state, kept by triggers on the claim table.

Triggers rather than service code because claims are also written in bulk (``seed_bulk``,
imports) and by test factories: the database is the one place every insert passes. On
PostgreSQL each change first locks every tally row in state order, so two transactions moving
claims between the same states queue up instead of deadlocking on each other's rows.
"""

from django.db import migrations, models

from claims.db.triggers import (
    STATE_TALLY_PG,
    STATE_TALLY_PG_DROP,
    STATE_TALLY_SQLITE,
    STATE_TALLY_SQLITE_DROP,
)

CREATE = {"sqlite": STATE_TALLY_SQLITE, "postgresql": STATE_TALLY_PG}
DROP = {"sqlite": STATE_TALLY_SQLITE_DROP, "postgresql": STATE_TALLY_PG_DROP}

FILL = (
    "INSERT INTO claims_statetally(state, claims) "
    "SELECT state, COUNT(*) FROM claims_claim GROUP BY state"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(FILL, params=None)
    for statement in CREATE.get(vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in DROP.get(vendor, []):
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

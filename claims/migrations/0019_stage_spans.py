"""How long each verdict's stages took, kept by triggers on the proposal and publication tables.

Triggers for the same reason as the state tally (0007) and the open reviews (0010): proposals and
publications are written by the sign-off services, in bulk by ``seed_bulk`` and by migrations,
and the database is the one place every write passes. The dashboard's time in each stage then
reads one index of a period's spans with their seconds, instead of joining every claim of the
period to its proposals (``claims.signoff.stages``). The spans of the rows already here are
written once, by the same statements the triggers run.

A later migration that makes Django rebuild the proposal or publication table on SQLite (most
column changes) drops these triggers with the old table, and must create them again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from claims.db.triggers import (
    STAGE_SPANS_PG,
    STAGE_SPANS_SQLITE,
    STAGE_SPANS_TRIGGERS_PG,
    STAGE_SPANS_TRIGGERS_PG_DROP,
    STAGE_SPANS_TRIGGERS_SQLITE,
    STAGE_SPANS_TRIGGERS_SQLITE_DROP,
)

FILL = {"sqlite": STAGE_SPANS_SQLITE, "postgresql": STAGE_SPANS_PG}
CREATE = {"sqlite": STAGE_SPANS_TRIGGERS_SQLITE, "postgresql": STAGE_SPANS_TRIGGERS_PG}
DROP = {"sqlite": STAGE_SPANS_TRIGGERS_SQLITE_DROP, "postgresql": STAGE_SPANS_TRIGGERS_PG_DROP}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in FILL.get(vendor, {}).values():
        schema_editor.execute(statement.format(where="TRUE"), params=None)
    for statement in CREATE.get(vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0018_queue_preferences_and_due_sort"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StageSpan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("proposal", "Creation to first proposal"),
                            ("signoff", "Proposal to sign-off"),
                            ("publication", "Creation to publication"),
                        ],
                        max_length=20,
                        verbose_name="stage",
                    ),
                ),
                (
                    "proposal_id",
                    models.BigIntegerField(
                        blank=True, null=True, verbose_name="proposal signed off"
                    ),
                ),
                ("started_at", models.DateTimeField(verbose_name="started at")),
                ("ended_at", models.DateTimeField(verbose_name="ended at")),
                ("seconds", models.BigIntegerField(verbose_name="seconds")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="claims.claim",
                        verbose_name="claim",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="proposed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "stage of a verdict",
                "verbose_name_plural": "stages of verdicts",
                "indexes": [
                    models.Index(
                        fields=["stage", "person", "ended_at", "seconds"],
                        name="stagespan_period_idx",
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("stage__in", ["proposal", "signoff", "publication"])),
                        name="stagespan_stage_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

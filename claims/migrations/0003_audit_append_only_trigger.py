"""On PostgreSQL, the database itself refuses UPDATE and DELETE on audit events.

SQLite has no equivalent that would still let the test runner flush tables, so there the ORM's
refusal (AuditEventQuerySet) is the guard.
"""

from django.db import migrations

from claims.db.triggers import AUDIT_APPEND_ONLY_PG, AUDIT_APPEND_ONLY_PG_DROP


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(AUDIT_APPEND_ONLY_PG, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(AUDIT_APPEND_ONLY_PG_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]

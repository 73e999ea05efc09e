"""On PostgreSQL, the database itself refuses UPDATE and DELETE on audit events.

SQLite has no equivalent that would still let the test runner flush tables, so there the ORM's
refusal (AuditEventQuerySet) is the guard.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION claims_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'claims_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_auditevent_append_only
    BEFORE UPDATE OR DELETE ON claims_auditevent
    FOR EACH ROW EXECUTE FUNCTION claims_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS claims_auditevent_append_only ON claims_auditevent;
DROP FUNCTION IF EXISTS claims_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]

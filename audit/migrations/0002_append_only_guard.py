"""The database's own guard on the audit log, so that not even code that bypasses the ORM
(raw SQL, a shell on the application's connection) rewrites history.

PostgreSQL: UPDATE always fails; DELETE fails for an entry younger than 365 days
(audit.models.AUDIT_GUARD_DAYS), so pruning past the retention period still works.
SQLite: UPDATE always fails. DELETE is left to the application there, because Django empties
the tables with DELETE between transactional tests; PostgreSQL empties them with TRUNCATE,
which row triggers do not see (TRUNCATE needs the table owner's rights).
"""

from django.db import migrations

GUARD_DAYS = 365  # audit.models.AUDIT_GUARD_DAYS when this migration was written

POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION audit_auditevent_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log entries cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_auditevent_refuse_recent_delete() RETURNS trigger AS $$
BEGIN
    IF OLD.occurred_at > now() - interval '{GUARD_DAYS} days' THEN
        RAISE EXCEPTION 'audit log entries younger than {GUARD_DAYS} days cannot be deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_update();
CREATE TRIGGER audit_auditevent_no_recent_delete BEFORE DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_recent_delete();
"""

POSTGRESQL_REMOVE = """
DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditevent_no_recent_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_refuse_update();
DROP FUNCTION IF EXISTS audit_auditevent_refuse_recent_delete();
"""

SQLITE_INSTALL = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit log entries cannot be changed');
END;
"""

SQLITE_REMOVE = "DROP TRIGGER IF EXISTS audit_auditevent_no_update;"


def _run(schema_editor, statements: dict[str, str]) -> None:
    sql = statements.get(schema_editor.connection.vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def install(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_event")]

    operations = [migrations.RunPython(install, remove)]

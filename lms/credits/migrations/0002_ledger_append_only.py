"""The database itself refuses UPDATE and DELETE of ledger entries (PostgreSQL and SQLite).

Application code never changes an entry; these triggers make sure nothing else does either (a shell,
a bulk script, the Django admin). A correction is a new reversing entry. TRUNCATE is left to database
owners (PostgreSQL row triggers do not fire on it; test databases are emptied that way).
"""
from django.db import migrations

MESSAGE = "credit ledger entries are append-only: write a reversing entry instead"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION credits_ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER credits_ledger_append_only BEFORE UPDATE OR DELETE ON credits_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION credits_ledger_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS credits_ledger_append_only ON credits_ledgerentry;
DROP FUNCTION IF EXISTS credits_ledger_refuse_change();
"""
SQLITE_UP = [
    f"CREATE TRIGGER credits_ledger_no_update BEFORE UPDATE ON credits_ledgerentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER credits_ledger_no_delete BEFORE DELETE ON credits_ledgerentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS credits_ledger_no_update;", "DROP TRIGGER IF EXISTS credits_ledger_no_delete;"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"No append-only trigger for {vendor}: add one before using this database.")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

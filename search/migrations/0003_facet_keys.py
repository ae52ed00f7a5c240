"""facet_keys: facet values on the document row, so counts need no join (search/backends/database.py).

On SQLite, adding a column rebuilds the table, which drops its triggers: they are created again here
and the FTS5 index rebuilt. Any later migration that alters this table on SQLite must do the same.
"""
from importlib import import_module

from django.db import migrations, models

fulltext = import_module("search.migrations.0002_fulltext")
SQLITE_TRIGGERS = [statement for statement in fulltext.SQLITE_FORWARD if statement.startswith("CREATE TRIGGER")]


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in ("lms_search_fts_ai", "lms_search_fts_ad", "lms_search_fts_au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in SQLITE_TRIGGERS:
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO lms_search_fts(lms_search_fts) VALUES ('rebuild')")


def backfill_facet_keys(apps, schema_editor):
    """Documents stored before this migration get their keys from their IndexedFacet rows."""
    Document = apps.get_model("lms_search", "IndexedDocument")
    Facet = apps.get_model("lms_search", "IndexedFacet")
    keys: dict[int, list[str]] = {}
    for document_id, name, value, label in Facet.objects.values_list("document_id", "name", "value", "label"):
        keys.setdefault(document_id, []).append("\x1f".join([name, value, label]))
    for document_id, facet_keys in keys.items():
        Document.objects.filter(pk=document_id).update(facet_keys=facet_keys)


class Migration(migrations.Migration):

    dependencies = [
        ("lms_search", "0002_fulltext"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexeddocument",
            name="facet_keys",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(backfill_facet_keys, migrations.RunPython.noop),
    ]

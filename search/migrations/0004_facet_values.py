"""Facet values as a dictionary with per-audience counts; documents carry the ids (search/models.py).

- ``IndexedFacetValue``: one row per (facet, value) with its label and document counts per audience;
- ``IndexedDocument.facet_ids`` replaces ``facet_keys`` (labels now live once, in the dictionary);
- PostgreSQL: ``facet_array integer[]``, generated from ``facet_ids`` by an immutable function, with a
  GIN index, so filters are ``&&`` on the row (indexable) and counts ``unnest`` an integer array;
- SQLite: changing the columns rebuilds the table and drops the FTS5 triggers: they are created again.
Existing documents are backfilled from their ``IndexedFacet`` rows.
"""
from importlib import import_module

from django.db import migrations, models

facet_keys_migration = import_module("search.migrations.0003_facet_keys")

TABLE = "lms_search_indexeddocument"
POSTGRES_FORWARD = [
    """CREATE FUNCTION lms_search_int_array(jsonb) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT coalesce(array_agg(e::integer), '{}') FROM jsonb_array_elements_text($1) e $$""",
    f"""ALTER TABLE {TABLE} ADD COLUMN facet_array integer[]
        GENERATED ALWAYS AS (lms_search_int_array(facet_ids)) STORED""",
    f"CREATE INDEX lms_search_facet_gin ON {TABLE} USING GIN (facet_array)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS lms_search_facet_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS facet_array",
    "DROP FUNCTION IF EXISTS lms_search_int_array(jsonb)",
]


def postgres_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def postgres_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


def backfill(apps, schema_editor):
    """Dictionary rows, document facet ids and counts from the existing IndexedFacet rows."""
    Document = apps.get_model("lms_search", "IndexedDocument")
    Facet = apps.get_model("lms_search", "IndexedFacet")
    Value = apps.get_model("lms_search", "IndexedFacetValue")
    ids: dict[tuple[str, str], int] = {}
    for name, value, label in Facet.objects.values_list("name", "value", "label").distinct():
        if (name, value) not in ids:
            ids[(name, value)] = Value.objects.create(name=name, value=value, label=label).pk
    audiences = dict(Document.objects.values_list("id", "audience"))
    per_document: dict[int, list[int]] = {}
    counts: dict[tuple[int, str], int] = {}
    for document_id, name, value in Facet.objects.values_list("document_id", "name", "value"):
        value_id = ids[(name, value)]
        per_document.setdefault(document_id, []).append(value_id)
        counts[(value_id, audiences[document_id])] = counts.get((value_id, audiences[document_id]), 0) + 1
    for document_id, facet_ids in per_document.items():
        Document.objects.filter(pk=document_id).update(facet_ids=sorted(facet_ids))
    for (value_id, audience), n in counts.items():
        if audience in ("public", "login"):
            Value.objects.filter(pk=value_id).update(**{f"{audience}_count": n})


class Migration(migrations.Migration):

    dependencies = [
        ("lms_search", "0003_facet_keys"),
    ]

    operations = [
        # reversing: the field changes below rebuild the SQLite table, so the triggers come back last
        migrations.RunPython(migrations.RunPython.noop, facet_keys_migration.recreate_sqlite_triggers),
        migrations.CreateModel(
            name="IndexedFacetValue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=16)),
                ("value", models.CharField(max_length=64)),
                ("label", models.CharField(max_length=128)),
                ("public_count", models.PositiveIntegerField(default=0)),
                ("login_count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("name", "value"), name="lms_search_value_unique")],
            },
        ),
        migrations.RemoveField(model_name="indexeddocument", name="facet_keys"),
        migrations.AddField(
            model_name="indexeddocument",
            name="facet_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(facet_keys_migration.recreate_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(postgres_forward, postgres_backward),
    ]

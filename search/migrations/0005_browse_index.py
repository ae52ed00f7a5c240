"""PostgreSQL: a covering index for browsing without search words (search/backends/database.py).

Browsing by a filter counts the facets of every document passing it. With this index the pass reads
(audience, date, id, facet ids) from a small index in date order, an index-only scan, instead of
visiting each wide document row (the row holds the tsvector and texts: ~4 rows per 8 kB page).
"""
from django.db import migrations

TABLE = "lms_search_indexeddocument"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX lms_search_browse ON {TABLE} (audience, published_at DESC, id DESC) INCLUDE (facet_array)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS lms_search_browse")


class Migration(migrations.Migration):
    dependencies = [("lms_search", "0004_facet_values")]

    operations = [migrations.RunPython(forward, backward)]

"""Database-native full-text structures over the segmented term columns (see search/models.py).

PostgreSQL: a generated tsvector (title A, pinyin B, body D) with the "simple" configuration (no
stemming; terms are already segmented, letters and digits only, lower-case, so the parser keeps them whole) and a GIN index.
SQLite: an external-content FTS5 table with triggers, so every ORM write (and bulk insert) stays indexed.
"""
from django.db import migrations

TABLE = "lms_search_indexeddocument"

POSTGRES_FORWARD = [
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A') ||
        setweight(to_tsvector('simple'::regconfig, pinyin_terms), 'B') ||
        setweight(to_tsvector('simple'::regconfig, body_terms), 'D')
    ) STORED""",
    f"CREATE INDEX lms_search_vector_gin ON {TABLE} USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS lms_search_vector_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE lms_search_fts USING fts5(
        title_terms, pinyin_terms, body_terms, content='{TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER lms_search_fts_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO lms_search_fts(rowid, title_terms, pinyin_terms, body_terms)
        VALUES (new.id, new.title_terms, new.pinyin_terms, new.body_terms); END""",
    f"""CREATE TRIGGER lms_search_fts_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO lms_search_fts(lms_search_fts, rowid, title_terms, pinyin_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.pinyin_terms, old.body_terms); END""",
    f"""CREATE TRIGGER lms_search_fts_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO lms_search_fts(lms_search_fts, rowid, title_terms, pinyin_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.pinyin_terms, old.body_terms);
        INSERT INTO lms_search_fts(rowid, title_terms, pinyin_terms, body_terms)
        VALUES (new.id, new.title_terms, new.pinyin_terms, new.body_terms); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS lms_search_fts_ai",
    "DROP TRIGGER IF EXISTS lms_search_fts_ad",
    "DROP TRIGGER IF EXISTS lms_search_fts_au",
    "DROP TABLE IF EXISTS lms_search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("lms_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]

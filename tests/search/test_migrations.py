"""Migration 0004 moves facet values into the dictionary: documents stored before it stay findable and counted."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search import api

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("lms_search", "0003_facet_keys")]
AFTER = [("lms_search", "0004_facet_values")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _fts_has(rowid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM lms_search_fts WHERE lms_search_fts MATCH '养殖' AND rowid = %s", [rowid])
        return cursor.fetchone()[0] == 1


def test_documents_stored_before_0004_are_backfilled():
    old = _migrate(BEFORE)
    Document, Facet = old.get_model("lms_search", "IndexedDocument"), old.get_model("lms_search", "IndexedFacet")
    when = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    for key, audience, industries in [("old:1", "public", ["cattle", "sheep"]), ("old:2", "login", ["cattle"])]:
        stored = Document.objects.create(key=key, kind="course", title="牛羊养殖", url="/", audience=audience,
                                         published_at=when, title_terms="牛羊 养殖 牛 羊 养 殖")
        Facet.objects.create(document=stored, name="kind", value="course", label="course")
        assert connection.vendor != "sqlite" or _fts_has(stored.pk)  # reversing 0004 kept the FTS5 triggers
        for industry in industries:
            Facet.objects.create(document=stored, name="industry", value=industry, label=industry.upper())
    try:
        _migrate(AFTER)
        from django.contrib.auth.models import User

        learner = User.objects.create_user("learner")
        results = api.search("养殖", user=learner, filters={"industry": ["sheep"]})
        assert [hit.key for hit in results.hits] == ["old:1"]
        assert {f.value: (f.label, f.count) for f in results.facets["industry"]} == {
            "cattle": ("CATTLE", 2), "sheep": ("SHEEP", 1)}
        browsing = api.search("")  # anonymous: the dictionary's public counts
        assert {f.value: f.count for f in browsing.facets["industry"]} == {"cattle": 1, "sheep": 1}
    finally:  # leave the schema as the other tests expect it: every migration applied
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("lms_search"))

"""Against a real cluster: runs only when ELASTICSEARCH_URL is set (e.g. in a CI job with a service)."""
import os
import uuid

import pytest

from search import api

from .helpers import doc

pytestmark = [
    pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="set ELASTICSEARCH_URL to run"),
    pytest.mark.django_db,
]


@pytest.fixture
def es_backend(settings):
    alias = f"sg-test-{uuid.uuid4().hex[:8]}"
    settings.SKILLS_GANSU_SEARCH = {"BACKEND": "search.backends.elasticsearch",
                                    "URL": os.environ["ELASTICSEARCH_URL"], "INDEX": alias}
    from search.backends import get_backend

    backend = get_backend()
    backend.reindex()
    yield backend
    backend.client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)
    backend.client.indices.delete_index_template(name=f"{alias}-template", ignore=[404])


def test_index_search_swap_and_remove(es_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.index_documents([
            doc("牛羊养殖技术", key="k:1", facets={"industry": [("cattle", "牛")]}),
            doc("马铃薯种植", key="k:2", facets={"industry": [("potato", "薯")]}),
        ])
    es_backend.client.indices.refresh(index=es_backend.alias)
    assert [h.key for h in api.search("yangzhi").hits] == ["k:1"]
    assert [h.key for h in api.search("niu").hits] == ["k:1"]
    assert {f.value: f.count for f in api.search("").facets["industry"]} == {"cattle": 1, "potato": 1}

    old = set(es_backend.client.indices.get_alias(name=es_backend.alias))
    new = es_backend.reindex()
    assert set(es_backend.client.indices.get_alias(name=es_backend.alias)) == {new} and new not in old
    assert api.search("马铃薯").total == 1

    with django_capture_on_commit_callbacks(execute=True):
        api.remove_documents(["k:2"])
    es_backend.client.indices.refresh(index=es_backend.alias)
    assert api.search("马铃薯").total == 0

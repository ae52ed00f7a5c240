"""The Elasticsearch backend's index template and query bodies, asserted exactly (no cluster needed)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from search import text
from search.backends import elasticsearch as es
from search.backends.base import SearchRequest

SEGMENTED_TERMS = {
    "type": "text", "analyzer": "segmented",
    "fields": {"prefix": {"type": "text", "analyzer": "segmented_prefix", "search_analyzer": "segmented"}},
}


def test_index_template_has_the_analysers_and_mapping():
    assert es.index_template("sg").to_dict() == {
        "index_patterns": ["sg-*"],
        "priority": 100,
        "template": {
            "settings": {
                "number_of_shards": 1, "number_of_replicas": 1, "max_ngram_diff": 19,
                "analysis": {
                    "analyzer": {
                        "segmented": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
                        "segmented_prefix": {"type": "custom", "tokenizer": "whitespace",
                                             "filter": ["lowercase", "prefix_edge"]},
                    },
                    "filter": {"prefix_edge": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20}},
                },
            },
            "mappings": {"properties": {
                "key": {"type": "keyword"}, "kind": {"type": "keyword"}, "audience": {"type": "keyword"},
                "published_at": {"type": "date"},
                "title": {"type": "keyword", "index": False}, "url": {"type": "keyword", "index": False},
                "summary": {"type": "text", "index": False}, "body": {"type": "text", "index": False},
                "title_terms": SEGMENTED_TERMS, "pinyin_terms": SEGMENTED_TERMS,
                "body_terms": {"type": "text", "analyzer": "segmented"},
                "industry": {"type": "keyword"}, "level": {"type": "keyword"},
                "resource_type": {"type": "keyword"}, "institution": {"type": "keyword"},
                "cluster": {"type": "keyword"}, "program": {"type": "keyword"}, "certificate": {"type": "keyword"},
                "facet_labels": {"type": "keyword"},
            }},
        },
    }


def multi_match(term, *, prefix=False):
    fields = ["title_terms^4", "pinyin_terms^2", "body_terms"]
    if prefix:
        fields += ["title_terms.prefix^2", "pinyin_terms.prefix"]
    return {"multi_match": {"query": term, "fields": fields, "type": "best_fields"}}


def facet_agg(name, filters):
    return {
        "filter": {"bool": {"filter": filters}} if filters else {"match_all": {}},
        "aggs": {"values": {"terms": {"field": "facet_labels", "include": f"{name}\x1f.*", "size": 50}}},
    }


def test_query_with_pinyin_chinese_filter_and_page():
    request = SearchRequest(
        query="niu 养殖", clauses=text.parse_query("niu 养殖"), audiences=("public", "login"),
        filters={"industry": ["cattle"]}, sort="relevance", page=2, page_size=10,
    )
    cattle = [{"terms": {"industry": ["cattle"]}}]
    assert es.build_search(request, index="sg").to_dict() == {
        "query": {"bool": {
            "must": [
                multi_match("niu", prefix=True),
                {"bool": {"should": [
                    multi_match("养殖"),
                    {"bool": {"must": [multi_match("养"), multi_match("殖")]}},
                ], "minimum_should_match": 1}},
            ],
            "filter": [{"terms": {"audience": ["public", "login"]}}],
        }},
        "post_filter": {"bool": {"filter": cattle}},
        "aggs": {
            "kind": facet_agg("kind", cattle), "industry": facet_agg("industry", []),
            "level": facet_agg("level", cattle), "resource_type": facet_agg("resource_type", cattle),
            "institution": facet_agg("institution", cattle), "cluster": facet_agg("cluster", cattle),
            "program": facet_agg("program", cattle), "certificate": facet_agg("certificate", cattle),
        },
        "sort": ["_score", {"published_at": {"order": "desc"}}, {"key": {"order": "asc"}}],
        "track_total_hits": True,
        "from": 10, "size": 10,
        "_source": ["key", "kind", "title", "url", "published_at", "summary", "body"],
    }


def test_empty_query_lists_newest_first():
    request = SearchRequest(query="", clauses=[], audiences=("public",), sort="date")
    body = es.build_search(request, index="sg").to_dict()
    assert body["query"] == {"bool": {"must": [{"match_all": {}}], "filter": [{"terms": {"audience": ["public"]}}]}}
    assert body["sort"] == [{"published_at": {"order": "desc"}}, {"key": {"order": "asc"}}]
    assert "post_filter" not in body and body["from"] == 0 and body["size"] == 20


def test_response_parsing_gives_highlighted_hits_and_labelled_facets():
    request = SearchRequest(query="养殖", clauses=text.parse_query("养殖"), audiences=("public",))
    response = {
        "hits": {"total": {"value": 1}, "hits": [{"_score": 3.5, "_source": {
            "key": "page:1", "kind": "course", "title": "牛羊养殖", "url": "/c/1/",
            "published_at": "2026-01-01T09:00:00+08:00", "summary": "肉牛养殖要点", "body": ""}}]},
        "aggregations": {
            "industry": {"values": {"buckets": [{"key": "industry\x1fcattle\x1f牛", "doc_count": 1}]}},
            "kind": {"values": {"buckets": [{"key": "kind\x1fcourse\x1fcourse", "doc_count": 1}]}},
        },
    }
    results = es.parse_response(request, response)
    assert results.total == 1
    hit = results.hits[0]
    assert hit.title_html == "牛羊<mark>养殖</mark>" and hit.score == 3.5
    assert hit.published_at == datetime(2026, 1, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert [(f.value, f.label, f.count) for f in results.facets["industry"]] == [("cattle", "牛", 1)]
    assert results.facets["level"] == []


@pytest.mark.django_db
def test_an_unreachable_cluster_does_not_fail_publishing(settings, caplog, django_capture_on_commit_callbacks):
    from search import api
    from search.backends import get_backend

    from .helpers import doc

    settings.SKILLS_GANSU_SEARCH = {"BACKEND": "search.backends.elasticsearch", "URL": "http://127.0.0.1:9",
                                    "INDEX": "sg"}
    get_backend().client = get_backend().client.options(max_retries=0, request_timeout=1)
    with django_capture_on_commit_callbacks(execute=True):
        api.index_document(doc("牛羊养殖", key="k:1"))
        api.remove_documents(["k:1"])
    assert "run search_rebuild" in caplog.text

"""The database backend through ``search.api``: Chinese, pinyin, facets, filters, sorting, paging,
audiences. Runs on SQLite (FTS5) and on PostgreSQL (tsvector + GIN)."""
import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.utils import translation

from search import api
from search.data import Audience

from .helpers import doc

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def catalogue():
    cattle = [("cattle", "牛")]
    api.index_documents([
        doc("牛羊养殖技术", summary="肉牛和肉羊的饲养管理。", days=1, key="k:niuyang",
            facets={"industry": cattle + [("sheep", "羊")], "level": [("higher", "高职")],
                    "institution": [("lzpc", "兰州职院")], "certificate": [("vet-1", "兽医（初级）")]}),
        doc("马铃薯种植", summary="定西马铃薯高产栽培。", days=2, key="k:potato",
            facets={"industry": [("potato", "薯")], "level": [("secondary", "中职")],
                    "institution": [("dxvc", "定西职校")]}),
        doc("牛舍设计图纸", kind="resource", summary="标准化牛舍的设计。", days=3, key="k:barn",
            facets={"industry": cattle, "resource_type": [("document", "文档")],
                    "institution": [("lzpc", "兰州职院")]}),
        doc("刺绣入门", kind="package", summary="陇原巧手刺绣培训包。", body="针法与配色。牛皮纸样板。", days=4,
            key="k:embroidery", facets={"program": [("qiaoshou", "陇原巧手")], "institution": [("lzpc", "兰州职院")]}),
        doc("内部培训：肉牛疫病", summary="仅限登录学员。", audience=Audience.LOGIN, days=5, key="k:private",
            facets={"industry": cattle}),
    ])


def keys(results):
    return [hit.key for hit in results.hits]


def test_chinese_word_inside_longer_text_is_found(catalogue):
    assert set(keys(api.search("养殖"))) == {"k:niuyang"}
    assert set(keys(api.search("牛舍"))) == {"k:barn"}
    assert set(keys(api.search("马铃薯高产"))) == {"k:potato"}


def test_pinyin_and_initials_find_chinese_titles(catalogue):
    assert "k:niuyang" in keys(api.search("niu"))
    assert keys(api.search("yangzhi")) == ["k:niuyang"]
    assert keys(api.search("nyyz")) == ["k:niuyang"]
    assert keys(api.search("malingshu")) == ["k:potato"]


def test_single_character_finds_titles(catalogue):
    assert {"k:niuyang", "k:barn"} <= set(keys(api.search("牛")))


def test_all_words_must_match(catalogue):
    assert keys(api.search("牛羊 马铃薯")) == []


def test_title_matches_rank_above_body_matches(catalogue):
    results = api.search("牛")
    assert results.hits[0].key in {"k:niuyang", "k:barn"}
    assert "k:embroidery" not in keys(results)[:2]


def test_hits_are_highlighted_and_escaped(catalogue):
    api.index_document(doc("<b>养殖</b>基地", summary="养殖<script>alert(1)</script>", key="k:xss"))
    hit = next(h for h in api.search("养殖").hits if h.key == "k:xss")
    assert "<b>" not in hit.title_html and "&lt;b&gt;<mark>养殖</mark>" in hit.title_html
    assert "<script>" not in hit.snippet_html and "<mark>养殖</mark>" in hit.snippet_html


def test_facet_counts_and_filters(catalogue):
    results = api.search("")
    industry = {f.value: f.count for f in results.facets["industry"]}
    assert industry == {"cattle": 2, "sheep": 1, "potato": 1}  # the login-only course is not counted
    assert {f.value: f.count for f in results.facets["kind"]} == {"course": 2, "resource": 1, "package": 1}

    filtered = api.search("", filters={"industry": ["cattle"], "institution": ["lzpc"]})
    assert set(keys(filtered)) == {"k:niuyang", "k:barn"}
    # a selected facet still offers its alternatives, counted without its own filter
    assert {f.value: (f.count, f.selected) for f in filtered.facets["industry"]} == {
        "cattle": (2, True), "sheep": (1, False)}
    assert {f.value: f.count for f in filtered.facets["kind"]} == {"course": 1, "resource": 1}


def test_several_values_of_one_facet_are_alternatives(catalogue):
    results = api.search("", filters={"industry": ["potato", "sheep"]})
    assert set(keys(results)) == {"k:niuyang", "k:potato"}


def test_sort_by_date_and_relevance(catalogue):
    assert keys(api.search("", sort="relevance"))[0] == "k:embroidery"  # empty query: newest first
    assert keys(api.search("牛", sort="date")) == ["k:barn", "k:niuyang"]


def test_pagination(catalogue):
    first = api.search("", page=1, page_size=3)
    second = api.search("", page=2, page_size=3)
    assert first.total == second.total == 4 and first.num_pages == 2
    assert len(first.hits) == 3 and len(second.hits) == 1
    assert not set(keys(first)) & set(keys(second))


def test_login_only_documents_need_a_signed_in_user(catalogue):
    assert keys(api.search("疫病", user=AnonymousUser())) == []
    user = User.objects.create_user("learner")
    assert keys(api.search("疫病", user=user)) == ["k:private"]
    user.is_active = False
    assert keys(api.search("疫病", user=user)) == []


def test_reindexing_replaces_and_removing_forgets(catalogue):
    api.index_document(doc("山羊养殖", key="k:niuyang", facets={"industry": [("sheep", "羊")]}))
    assert keys(api.search("牛羊")) == []
    assert keys(api.search("山羊")) == ["k:niuyang"]
    assert {f.value for f in api.search("山羊").facets["industry"]} == {"sheep"}
    assert api.remove_documents(["k:niuyang", "k:unknown"]) == 1
    assert keys(api.search("山羊")) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"sort": "random"}, "sort"),
    ({"page": 0}, "page"),
    ({"page": 10_000}, "page"),
    ({"page_size": 500}, "page size"),
    ({"filters": {"colour": ["red"]}}, "Unknown filter"),
    ({"filters": {"industry": ["x" * 65]}}, "longer than"),
    ({"filters": {"industry": [str(i) for i in range(30)]}}, "Too many"),
])
def test_bad_arguments_raise_invalid_search(kwargs, message):
    with translation.override("en"), pytest.raises(api.InvalidSearch, match=message):
        api.search("牛", **kwargs)


def test_too_long_query_is_refused():
    with translation.override("en"), pytest.raises(api.InvalidSearch, match="too long"):
        api.search("牛" * 101)


def test_query_syntax_characters_are_harmless(catalogue):
    for query in ["'", '"', "a & b | !c", "牛:*", "NEAR(", "\\", "养殖' OR 1=1 --"]:
        api.search(query)  # no database error


def test_query_count_is_constant(catalogue, django_assert_max_num_queries):
    api.index_documents([doc(f"牛肉加工{i}", facets={"industry": [("cattle", "牛")]}) for i in range(30)])
    with django_assert_max_num_queries(4):
        api.search("牛", filters={"industry": ["cattle"]})


@pytest.mark.postgres
def test_postgres_uses_the_generated_vector(catalogue):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM lms_search_indexeddocument WHERE key = 'k:niuyang'")
        vector = cursor.fetchone()[0]
    assert "'yangzhi':" in vector and "'养殖':" in vector

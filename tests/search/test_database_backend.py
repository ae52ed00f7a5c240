"""The database backend through ``search.api``: Chinese, pinyin, facets, filters, sorting, paging,
audiences. Runs on SQLite (FTS5) and on PostgreSQL (tsvector + GIN)."""
import random
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from search import api
from search.data import FACETS, Audience
from search.models import IndexedFacetValue

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


@pytest.mark.parametrize("query, filters", [
    ("", {}),  # browsing everything: counts from the dictionary, page from the date index
    ("", {"industry": ["cattle"]}),  # browsing one filter
    ("", {"industry": ["cattle"], "institution": ["lzpc"]}),
    ("牛", {}),
    ("牛", {"industry": ["cattle"], "level": ["higher"]}),
])
def test_query_count_does_not_grow_with_content(catalogue, query, filters):
    with CaptureQueriesContext(connection) as small:
        api.search(query, filters=filters)
    api.index_documents([
        doc(f"牛肉加工{i}", facets={"industry": [("cattle", "牛")], "level": [("higher", "高职")],
                                 "institution": [(f"inst-{i}", f"学院{i}")]}) for i in range(40)])
    with CaptureQueriesContext(connection) as large:
        results = api.search(query, filters=filters)
    assert results.total > 0
    assert len(small) == len(large) <= 4


# ---- facet counts against a reference computed in Python ----

def _varied_documents():
    rng = random.Random(11)
    industries = [("cattle", "牛"), ("sheep", "羊"), ("potato", "薯")]
    levels = [("higher", "高职"), ("secondary", "中职")]
    institutions = [("lzpc", "兰州职院"), ("dxvc", "定西职校"), ("wwvc", "武威职院")]
    titles = ["牛羊养殖", "马铃薯种植", "养殖场设计", "肉牛育肥", "羊毛加工"]
    docs = []
    for i in range(36):
        facets = {"industry": rng.sample(industries, rng.randint(1, 2)), "institution": [rng.choice(institutions)]}
        if i % 4:
            facets["level"] = [rng.choice(levels)]
        docs.append(doc(rng.choice(titles), kind=rng.choice(["course", "resource", "package"]), days=i,
                        key=f"v:{i}", audience=Audience.LOGIN if i % 7 == 0 else Audience.PUBLIC, facets=facets))
    return docs


def _values(document, name):
    return [document.kind] if name == "kind" else [fv.value for fv in document.facets.get(name, ())]


def _passes(document, filters):
    return all(set(_values(document, name)) & set(values) for name, values in filters.items())


@pytest.mark.parametrize("query", ["", "养殖", "niu"])
@pytest.mark.parametrize("filters", [
    {}, {"industry": ["cattle"]}, {"kind": ["course", "package"]},
    {"industry": ["cattle", "potato"], "level": ["higher"]},
    {"kind": ["resource"], "level": ["secondary"], "institution": ["lzpc", "wwvc"]},
    {"industry": ["no-such-value"]},
])
@pytest.mark.parametrize("signed_in", [False, True])
def test_counts_total_and_hits_match_a_reference(query, filters, signed_in):
    docs = _varied_documents()
    api.index_documents(docs)
    user = User.objects.create_user("learner") if signed_in else None
    visible = [d for d in docs if signed_in or d.audience == Audience.PUBLIC]
    matched = {hit.key for hit in api.search(query, user=user, page_size=50).hits}
    assert len(matched) == api.search(query, user=user).total  # every match fits on the page
    candidates = [d for d in visible if d.key in matched]

    results = api.search(query, user=user, filters=filters, page_size=50)

    expected_hits = {d.key for d in candidates if _passes(d, filters)}
    assert {hit.key for hit in results.hits} == expected_hits and results.total == len(expected_hits)
    for name in FACETS:
        others = {other: values for other, values in filters.items() if other != name}
        expected = Counter(v for d in candidates if _passes(d, others) for v in _values(d, name))
        assert {f.value: f.count for f in results.facets[name]} == dict(expected), name
        assert {f.value for f in results.facets[name] if f.selected} == set(filters.get(name, [])) & set(expected)


def test_labels_come_from_the_latest_write(catalogue):
    api.index_document(doc("肉牛繁育", key="k:breed", facets={"industry": [("cattle", "肉牛")]}))
    labels = {f.value: f.label for f in api.search("").facets["industry"]}
    assert labels["cattle"] == "肉牛"


def _stored_counts():
    return {(v.name, v.value): (v.public_count, v.login_count) for v in IndexedFacetValue.objects.all()}


def test_stored_counts_follow_every_write(catalogue):
    cattle = ("industry", "cattle")
    assert _stored_counts()[cattle] == (2, 1)
    # re-indexed with other facets and for signed-in users only
    api.index_document(doc("牛舍设计图纸", kind="resource", key="k:barn", audience=Audience.LOGIN,
                           facets={"industry": [("sheep", "羊")]}))
    assert _stored_counts()[cattle] == (1, 1) and _stored_counts()[("industry", "sheep")] == (1, 1)
    # the same key twice in one batch counts once
    api.index_documents([doc("甲", key="k:twice", facets={"industry": [("cattle", "牛")]}),
                         doc("乙", key="k:twice", facets={"industry": [("cattle", "牛")]})])
    assert _stored_counts()[cattle] == (2, 1)
    api.remove_documents(["k:niuyang", "k:twice", "k:unknown"])
    counts = _stored_counts()
    assert counts[cattle] == (0, 1) and counts[("kind", "course")] == (1, 1)
    api.recount_facet_values()
    assert _stored_counts() == counts
    assert {f.value: f.count for f in api.search("").facets["industry"]} == {"potato": 1}
    learner = User.objects.create_user("learner")
    assert {f.value: f.count for f in api.search("", user=learner).facets["industry"]} == {
        "potato": 1, "sheep": 1, "cattle": 1}


def test_removing_an_uncounted_document_does_not_fail(catalogue):
    from search.models import IndexedDocument

    cattle = IndexedFacetValue.objects.get(name="industry", value="cattle")
    IndexedFacetValue.objects.filter(pk=cattle.pk).update(public_count=0)  # as if written behind api's back
    assert api.remove_documents(["k:niuyang"]) == 1
    assert not IndexedDocument.objects.filter(key="k:niuyang").exists()
    assert _stored_counts()[("industry", "cattle")] == (0, 1)
    api.recount_facet_values()
    assert _stored_counts()[("industry", "cattle")] == (1, 1)


def test_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        doc("牛", audience="staff")


@pytest.mark.postgres
def test_postgres_uses_the_generated_vector(catalogue):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM lms_search_indexeddocument WHERE key = 'k:niuyang'")
        vector = cursor.fetchone()[0]
    assert "'yangzhi':" in vector and "'养殖':" in vector

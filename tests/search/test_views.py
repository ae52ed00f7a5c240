"""The HTML page /search/ and the JSON API /api/v1/search/ over real HTTP requests."""
import pytest

from search import api

from .helpers import doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed():
    api.index_documents(
        [doc("牛羊养殖技术", summary="肉牛饲养<管理>", key="k:1", facets={"industry": [("cattle", "牛")]})]
        + [doc(f"马铃薯种植{i}", key=f"k:p{i}", days=i, facets={"industry": [("potato", "薯")]}) for i in range(25)]
    )


def test_json_results_facets_and_paging(client, indexed):
    response = client.get("/api/v1/search/", {"q": "yangzhi"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["total"] == 1 and data["results"][0]["key"] == "k:1"
    assert data["results"][0]["title_html"] == "牛羊<mark>养殖</mark>技术"
    assert data["facets"]["industry"] == [{"value": "cattle", "label": "牛", "count": 1, "selected": False}]

    page = client.get("/api/v1/search/", {"industry": "potato", "page": 2, "page_size": 10}).json()
    assert (page["total"], page["num_pages"], len(page["results"])) == (25, 3, 10)
    assert page["filters"] == {"industry": ["potato"]} and page["sort"] == "date"


@pytest.mark.parametrize("params, fragment", [
    ({"page_size": 51}, "“page_size” must be a whole number from 1 to 50"),
    ({"page": "abc"}, "“page” must be a whole number"),
    ({"page": 0}, "“page” must be a whole number"),
    ({"sort": "popular"}, "“sort” must be one of"),
    ({"colour": "red"}, "Unknown parameter(s): colour"),
    ({"q": "牛" * 101}, "too long"),
    ({"industry": "x" * 65}, "longer than 64"),
])
def test_json_bad_parameters_get_400_with_a_message(client, params, fragment):
    response = client.get("/api/v1/search/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert fragment in response.json()["error"]


def test_json_repeated_single_parameter(client):
    assert client.get("/api/v1/search/?q=a&q=b").status_code == 400


def test_json_refuses_writes(client):
    assert client.post("/api/v1/search/", {"q": "牛"}).status_code == 405


def test_html_page_shows_highlighted_results_and_facet_links(client, indexed):
    response = client.get("/search/", {"q": "养殖"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "牛羊<mark>养殖</mark>技术" in html
    assert "肉牛饲养&lt;管理&gt;" in html  # escaped
    assert 'href="?q=%E5%85%BB%E6%AE%96&amp;industry=cattle"' in html
    assert 'name="q"' in html and 'value="养殖"' in html


def test_html_page_paginates_and_keeps_filters(client, indexed):
    html = client.get("/search/", {"industry": "potato"}).content.decode()
    assert "industry=potato" in html and 'rel="next"' in html


def test_html_bad_parameters_show_the_problem(client):
    response = client.get("/search/", {"page": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "must be a whole number" in response.content.decode()


def test_messages_are_in_chinese_by_default(client):
    response = client.get("/api/v1/search/", {"page_size": 500})
    assert response.json()["error"] == "参数“page_size”必须是 1 到 50 之间的整数。"


def test_query_count_does_not_grow_with_results(client, indexed, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/api/v1/search/", {"q": "马铃薯", "industry": "potato"})

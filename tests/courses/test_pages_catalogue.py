"""Catalogue filters: each narrows the list, they combine, bad values are ignored, pages keep them."""
import re

import pytest

from courses.api import PAGE_SIZE
from lms.institutions.models import Institution
from tests import factories

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    # Course cards are the only <h3> links on the catalogue page.
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


@pytest.fixture
def catalogue():
    _home, catalogue = factories.site_root()
    hexi = factories.section(factories.institution(name="武威职业学院", reg=factories.region(cluster="hexi")))
    longzhong = factories.section(factories.institution(name="兰州职业技术学院"))
    cattle, potato = factories.industry("cattle", "牛"), factories.industry("potato", "薯")
    qiaoshou = factories.program()
    beef = factories.course(hexi, title="肉牛育肥", level="secondary")
    beef.industries.add(cattle)
    beef.programs.add(qiaoshou)
    beef.save_revision().publish()
    spud = factories.course(longzhong, title="马铃薯栽培", level="higher")
    spud.industries.add(potato)
    spud.save_revision().publish()
    factories.course(longzhong, title="未发布的牛课", level="secondary", live=False)
    return catalogue


def test_unfiltered_catalogue_lists_every_published_course(client, catalogue):
    response = client.get(catalogue.url)
    assert response.status_code == 200
    assert sorted(titles(response)) == ["肉牛育肥", "马铃薯栽培"]


@pytest.mark.parametrize("params, expected", [
    ({"industry": "cattle"}, ["肉牛育肥"]),
    ({"industry": "potato"}, ["马铃薯栽培"]),
    ({"level": "higher"}, ["马铃薯栽培"]),
    ({"cluster": "hexi"}, ["肉牛育肥"]),
    ({"program": "longyuan-qiaoshou"}, ["肉牛育肥"]),
    ({"level": "secondary", "cluster": "longzhong"}, []),
])
def test_each_filter_narrows_the_list(client, catalogue, params, expected):
    assert titles(client.get(catalogue.url, params)) == expected


def test_institution_filter(client, catalogue):
    slug = Institution.objects.get(name="兰州职业技术学院").slug
    assert titles(client.get(catalogue.url, {"institution": slug})) == ["马铃薯栽培"]


@pytest.mark.parametrize("params", [
    {"industry": "no-such-industry"}, {"level": "doctorate"}, {"cluster": "'; drop table"},
    {"institution": "x" * 5000}, {"program": "\x00"}, {"page": "abc"}, {"page": "-3"}, {"page": "99999"},
    {"industry": ["cattle", "potato"]},
])
def test_bad_filter_values_are_ignored_not_an_error(client, catalogue, params):
    response = client.get(catalogue.url, params)
    assert response.status_code == 200
    assert titles(response)  # never an empty page because of a bad value


def test_active_filters_show_as_removable_chips_and_a_count(client, catalogue):
    html = client.get(catalogue.url, {"industry": "cattle", "level": "secondary"},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chips = re.search(r'<ul class="chips".*?</ul>', html, re.S).group(0)
    assert "牛" in chips and "Secondary vocational" in chips
    assert 'href="?level=secondary"' in chips and 'href="?industry=cattle"' in chips
    assert "1 course" in html
    assert '<option value="cattle" selected>' in html
    assert "Clear all filters" in html


def test_pagination_keeps_the_filters(client, catalogue):
    section = factories.section()
    cattle = factories.industry("cattle", "牛")
    for _ in range(PAGE_SIZE + 1):
        course = factories.course(section)
        course.industries.add(cattle)
        course.save_revision().publish()
    first = client.get(catalogue.url, {"industry": "cattle"}).content.decode()
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "industry=cattle" in next_link and "page=2" in next_link
    second = client.get(catalogue.url + next_link)
    assert len(titles(second)) == PAGE_SIZE + 2 - PAGE_SIZE  # 22 cattle courses: 20 + 2


def test_filter_form_works_without_javascript(client, catalogue):
    html = client.get(catalogue.url).content.decode()
    form = re.search(r'<form method="get".*?</form>', html, re.S).group(0)
    assert f'action="{catalogue.url}"' in form and '<button type="submit">' in form
    for name in ["industry", "level", "cluster", "institution", "program"]:
        assert re.search(rf'<label for="f-{name}">', form) and f'id="f-{name}" name="{name}"' in form
    assert "<script" not in html


def test_library_resources_filter_by_type_and_paginate(client):
    library = factories.library()
    factories.resource(library, title="链接资源")
    factories.resource(library, title="文档资源", resource_type="document", file=factories.document(), link_url="")
    html = client.get(library.url, {"type": "document"}).content.decode()
    assert "文档资源" in html and "链接资源" not in html
    for bad in ["nonsense", "", "x" * 3000]:
        response = client.get(library.url, {"type": bad, "page": "zz"})
        assert response.status_code == 200 and "链接资源" in response.content.decode()

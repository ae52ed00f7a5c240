"""The search page on a phone in Debian's chromium: type pinyin, get highlighted Chinese, narrow by a facet."""
import pytest

from search import api

from .helpers import doc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def indexed():
    api.index_documents([
        doc("牛羊养殖技术", summary="肉牛和肉羊的饲养管理。", facets={"industry": [("cattle", "牛")]}),
        doc("山羊养殖入门", summary="山羊的圈舍与饲喂。", facets={"industry": [("sheep", "羊")]}),
        doc("马铃薯种植", summary="定西马铃薯。", facets={"industry": [("potato", "薯")]}),
    ])


def test_pinyin_search_and_facet_on_a_phone(live_server, phone, indexed):
    phone.goto(live_server.url + "/search/")
    phone.fill("input[name=q]", "yangzhi")
    phone.press("input[name=q]", "Enter")
    phone.wait_for_url("**/search/?q=yangzhi*")
    titles = phone.locator(".search-results h2").all_inner_texts()
    assert sorted(titles) == ["山羊养殖入门", "牛羊养殖技术"]
    assert phone.locator(".search-results mark").first.inner_text() == "养殖"
    # the page fits the phone's width: no sideways scrolling
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.locator("details.facets summary").click()
    phone.get_by_role("link", name="羊", exact=True).click()
    phone.wait_for_url("**industry=sheep*")
    assert phone.locator(".search-results h2").all_inner_texts() == ["山羊养殖入门"]

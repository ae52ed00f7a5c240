"""On a 360x640 phone the catalogue and a busy lesson never scroll sideways, and the filters work
without JavaScript: choose an industry, press the button, see fewer courses."""
import pytest
from wagtail.embeds.blocks import EmbedValue
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.rich_text import RichText

from tests import factories

from .conftest import PHONE, no_horizontal_scroll, wagtail_root

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_TITLE = "甘肃省河西走廊戈壁设施农业高原夏菜标准化种植与采后商品化处理关键技术及其推广应用"
LONG_URL = "https://resources.gansu.example.cn/library/vegetables/" + "long-path-segment-" * 7 + "guide.pdf"
EMBED_URL = "https://v.example.cn/watch/plateau-vegetables"


@pytest.fixture
def content():
    wagtail_root()
    _home, catalogue = factories.site_root()
    hexi = factories.section(factories.institution(name="酒泉职业技术学院", reg=factories.region(cluster="hexi")))
    other = factories.section(factories.institution(name="兰州现代职业学院"))
    cattle, veg = factories.industry("cattle", "牛"), factories.industry("vegetable", "菜")
    for i in range(3):
        course = factories.course(hexi, title=f"肉牛标准化养殖{i}", is_quality_course=True, cover=factories.image())
        course.industries.add(cattle)
        course.save_revision().publish()
    veg_course = factories.course(other, title=LONG_TITLE, cover=factories.image(width=1600, height=900))
    veg_course.industries.add(veg)
    veg_course.save_revision().publish()
    unit = factories.unit(veg_course, title="第一单元 " + LONG_TITLE)
    factories.lesson(unit, title="前一课")
    Embed.objects.create(url=EMBED_URL, hash=get_embed_hash(EMBED_URL), type="video", width=1280, height=720,
                         html='<iframe width="1280" height="720" src="about:blank" title="视频"></iframe>')
    resource = factories.resource(factories.library(other), title=LONG_TITLE + "资源", link_url=LONG_URL)
    lesson = factories.lesson(unit, title=LONG_TITLE + "（实训）", body=[
        ("text", RichText(f"<h2>{LONG_TITLE}</h2><p>参考资料：<a href=\"{LONG_URL}\">{LONG_URL}</a></p>"
                          f"<p>{'覆膜、滴灌、水肥一体化' * 30}</p><p>{'x' * 300}</p>")),
        ("image", {"image": factories.image(width=2000, height=1200), "caption": LONG_TITLE}),
        ("document", factories.document(title=LONG_TITLE + ".pdf")),
        ("video", {"title": LONG_TITLE, "file": factories.document(name="v.mp4"), "poster": factories.image(),
                   "captions": None}),
        ("audio", {"title": "讲解音频", "file": factories.document(name="a.mp3")}),
        ("embed", EmbedValue(EMBED_URL)),
        ("callout", {"kind": "safety", "text": RichText(f"<p>农药安全间隔期：{LONG_URL}</p>")}),
        ("resource", {"resource": resource, "note": LONG_URL}),
        ("activity", {"activity_type": "not-installed", "title": "课后测验", "activity_id": "quiz", "config": "{}"}),
    ])
    factories.lesson(unit, title="后一课")
    return {"catalogue": catalogue, "lesson": lesson}


def test_catalogue_and_lesson_fit_a_phone_and_the_filter_narrows_the_list(live_server, phone, content):
    phone.goto(live_server.url + content["catalogue"].url)
    assert phone.locator("h1").is_visible()
    assert no_horizontal_scroll(phone) <= PHONE["width"]
    assert phone.locator("#course-list > li").count() == 4
    phone.screenshot(path="/tmp/skills-gansu-catalogue-360.png", full_page=True)

    phone.select_option("#f-industry", "cattle")
    phone.locator("form.filters button[type=submit]").click()
    phone.wait_for_url("**industry=cattle**")
    titles = phone.locator("#course-list h3").all_inner_texts()
    assert len(titles) == 3 and all(title.startswith("肉牛标准化养殖") for title in titles)
    assert phone.locator(".chips a").count() == 1
    assert no_horizontal_scroll(phone) <= PHONE["width"]

    phone.goto(live_server.url + content["lesson"].url)
    assert phone.locator("video[preload=none]").count() == 1
    assert phone.locator(".notice-unavailable").count() == 1
    assert phone.locator("a[rel=next]").count() == 1 and phone.locator("a[rel=prev]").count() == 1
    assert no_horizontal_scroll(phone) <= PHONE["width"]
    phone.screenshot(path="/tmp/skills-gansu-lesson-360.png", full_page=True)

"""The lesson page renders every StreamField block of ``courses.blocks`` for a phone on a weak network."""
import re

import pytest
from django.utils.html import format_html
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.rich_text import RichText

from courses.templatetags import courses_tags
from plugins.core import registry
from plugins.core.interfaces import ActivityType
from tests import factories

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://v.example.cn/watch/12345"


class FakeQuiz(ActivityType):
    slug = "pages-test-quiz"
    label = "Quiz"

    def render(self, *, config, context):
        return format_html('<form class="quiz" data-iri="{}" data-questions="{}">{}</form>',
                           context["activity_iri"], config.get("questions", 0), context["title"])


class BrokenActivity(ActivityType):
    slug = "pages-test-broken"
    label = "Broken"

    def render(self, *, config, context):
        raise RuntimeError("plugin bug")


@pytest.fixture
def installed_activities(monkeypatch):
    types = {FakeQuiz.slug: FakeQuiz, BrokenActivity.slug: BrokenActivity}
    monkeypatch.setattr(registry, "activity_types", lambda site=None, *, request=None: types)


def make_lesson(body, **fields):
    course = factories.course(code="GS-VEG-02")
    unit = factories.unit(course)
    return course, unit, factories.lesson(unit, body=body, **fields)


def test_every_media_block_renders_for_phones(client):
    photo = factories.image(title="牛舍外景", width=1600, height=900)
    poster = factories.image(title="封面")
    manual = factories.document(title="饲养手册", content=b"x" * 3000)
    video = factories.document(title="视频", name="milking.mp4", content=b"\x00" * 10)
    captions = factories.document(title="字幕", name="milking.vtt", content=b"WEBVTT\n")
    sound = factories.document(title="音频", name="song.mp3", content=b"\x00" * 10)
    Embed.objects.create(url=VIDEO_URL, hash=get_embed_hash(VIDEO_URL), type="video",
                         html='<iframe src="https://v.example.cn/embed/12345" title="视频"></iframe>')
    from wagtail.embeds.blocks import EmbedValue

    _course, _unit, lesson = make_lesson([
        ("text", RichText("<h2>饲养要点</h2><p>每日清扫牛舍。</p>")),
        ("image", {"image": photo, "caption": "通风良好的牛舍"}),
        ("document", manual),
        ("video", {"title": "挤奶操作", "file": video, "poster": poster, "captions": captions}),
        ("audio", {"title": "花儿", "file": sound}),
        ("embed", EmbedValue(VIDEO_URL)),
        ("callout", {"kind": "safety", "text": RichText("<p>进入牛舍前消毒</p>")}),
    ])
    html = client.get(lesson.url).content.decode()
    assert "饲养要点" in html and "每日清扫牛舍" in html
    img = re.search(r"<img[^>]*srcset[^>]*>", html).group(0)
    assert 'loading="lazy"' in img and 'width="' in img and 'height="' in img and 'alt="通风良好的牛舍"' in img
    assert "sizes=" in img and img.count("w,") + img.count("w\"") >= 2
    assert manual.url in html and "2.9" in html  # 2.9 KB download size
    video_tag = re.search(r"<video[^>]*>", html).group(0)
    assert 'controls' in video_tag and 'preload="none"' in video_tag and "poster=" in video_tag
    assert f'<source src="{video.url}" type="video/mp4">' in html
    assert re.search(rf'<track kind="captions" src="{re.escape(captions.url)}" srclang="zh"', html)
    assert re.search(r'<audio controls preload="none"><source src="[^"]+" type="audio/mpeg">', html)
    assert 'src="https://v.example.cn/embed/12345"' in html and VIDEO_URL in html
    assert 'class="callout callout-safety"' in html and "进入牛舍前消毒" in html


def test_library_resource_block_links_to_the_resource_page(client):
    resource = factories.resource(factories.library(), title="青贮饲料制作视频")
    withdrawn = factories.resource(factories.library(), title="已撤下的资源")
    _c, _u, lesson = make_lesson([
        ("resource", {"resource": resource, "note": "课前观看"}),
        ("resource", {"resource": withdrawn, "note": ""}),
    ])
    withdrawn.unpublish()
    html = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{resource.url}"' in html and "青贮饲料制作视频" in html and "课前观看" in html
    assert "已撤下的资源" not in html and "no longer available" in html


def test_activity_block_renders_through_its_plugin_with_the_lesson_activity_iri(client, installed_activities):
    course, _unit, lesson = make_lesson([
        ("activity", {"activity_type": FakeQuiz.slug, "title": "课后测验", "activity_id": "quiz-1",
                      "config": '{"questions": 5}'}),
    ])
    html = client.get(lesson.url).content.decode()
    expected_iri = courses_tags.activity_iri("course", "GS-VEG-02", "lesson", str(lesson.pk), "quiz-1")
    assert f'data-iri="{expected_iri}"' in html and 'data-questions="5"' in html and "课后测验" in html
    assert expected_iri.endswith(f"course/GS-VEG-02/lesson/{lesson.pk}/quiz-1")


def test_activity_of_a_missing_or_broken_plugin_shows_a_notice_not_an_error(client, installed_activities):
    _c, _u, lesson = make_lesson([
        ("activity", {"activity_type": "scorm", "title": "模拟实训", "activity_id": "sim", "config": "{}"}),
        ("activity", {"activity_type": BrokenActivity.slug, "title": "坏插件", "activity_id": "b", "config": "{}"}),
    ])
    response = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("notice-unavailable") == 2
    assert "模拟实训" in html and "坏插件" in html


def test_previous_and_next_lesson_links_and_breadcrumbs(client):
    course = factories.course(title="马铃薯种植")
    unit = factories.unit(course, title="种薯处理")
    first = factories.lesson(unit, title="选种")
    middle = factories.lesson(unit, title="切块")
    factories.lesson(unit, title="草稿", live=False)
    last = factories.lesson(unit, title="催芽")
    html = client.get(middle.url).content.decode()
    assert re.search(rf'rel="prev" href="{re.escape(first.url)}"', html)
    assert re.search(rf'rel="next" href="{re.escape(last.url)}"', html)
    crumbs = re.search(r'<nav class="wrap crumbs".*?</nav>', html, re.S).group(0)
    assert crumbs.index("马铃薯种植") < crumbs.index("种薯处理") < crumbs.index("切块")
    assert f'href="{course.url}"' in crumbs and f'href="{unit.url}"' in crumbs
    assert "草稿" not in html
    last_html = client.get(last.url).content.decode()
    assert 'rel="next"' not in last_html and f'href="{unit.url}"' in last_html

"""Weak-network budget: every page's HTML plus the stylesheet stays under 150 KB before media, with no
JavaScript and no web fonts; the enrol button appears only where the enrolment app provides it."""
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings

from tests import factories

pytestmark = pytest.mark.django_db

BUDGET = 150 * 1024


def stylesheet_bytes(html: str) -> int:
    total = 0
    for href in re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html):
        with open(finders.find(href), "rb") as css:
            total += len(css.read())
    return total


@pytest.fixture
def rich_site():
    """A busy catalogue: full pages of courses, a long lesson, a library with many resources."""
    home, catalogue = factories.site_root()
    section = factories.section()
    for industry in ["cattle", "sheep", "vegetable", "fruit", "potato", "herbs"]:
        factories.industry(industry, industry)
    courses = []
    for i in range(22):
        course = factories.course(section, title="甘肃特色产业长标题课程" * 3 + str(i), is_quality_course=True,
                                  learning_outcomes="<p>" + "能够独立完成操作。" * 40 + "</p>")
        courses.append(course)
    unit = factories.unit(courses[0])
    for _ in range(12):
        factories.lesson(unit)
    lesson = factories.lesson(unit, body=[("text", "<p>" + "饲养管理要点。" * 600 + "</p>")] * 3)
    library = factories.library(section)
    resources = [factories.resource(library) for _ in range(25)]
    package = factories.package(section, items=courses[:10])
    return {"home": home, "catalogue": catalogue, "course": courses[0], "unit": unit, "lesson": lesson,
            "library": library, "resource": resources[0], "package": package, "section": section}


def test_every_page_is_under_150_kb_before_media_without_scripts_or_web_fonts(client, rich_site):
    urls = [page.url for page in rich_site.values()]
    urls += [rich_site["catalogue"].url + "libraries/", rich_site["catalogue"].url + "packages/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        css = stylesheet_bytes(html)
        assert css > 0, url
        assert len(response.content) + css < BUDGET, (url, len(response.content), css)
        print(f"page weight {url}: {len(response.content) + css} bytes = "
              f"{(len(response.content) + css) / BUDGET:.0%} of the 150 KB budget (HTML {len(response.content)}, "
              f"CSS {css})")
        assert "<script" not in html, url
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    with open(finders.find("css/site.css")) as css:
        sheet = css.read()
    assert "@font-face" not in sheet and "@import" not in sheet
    assert "overflow-wrap:anywhere" in sheet


def test_enrol_button_is_absent_when_enrolment_provides_no_template(client, monkeypatch):
    from courses.templatetags import courses_tags

    monkeypatch.setattr(courses_tags, "ENROL_BUTTON_TEMPLATE", "enrollment/no-such-template.html")
    course = factories.course()
    response = client.get(course.url)
    assert response.status_code == 200
    assert '<div class="enrol"></div>' in response.content.decode()


def test_enrol_button_is_included_with_the_offering_iri(client, monkeypatch, tmp_path):
    from courses.templatetags import courses_tags

    (tmp_path / "enrollment").mkdir()
    (tmp_path / "enrollment" / "test_button.html").write_text(
        '<form class="test-enrol" data-iri="{{ offering_iri }}">{{ page.title }}</form>'
    )
    monkeypatch.setattr(courses_tags, "ENROL_BUTTON_TEMPLATE", "enrollment/test_button.html")
    engine = dict(settings.TEMPLATES[0])
    templates = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    course = factories.course(code="GS-BEEF-9")
    package = factories.package(code="PKG-7", items=[course])
    with override_settings(TEMPLATES=templates):
        course_html = client.get(course.url).content.decode()
        package_html = client.get(package.url).content.decode()
    assert f'data-iri="{courses_tags.activity_iri("course", "GS-BEEF-9")}"' in course_html
    assert f'data-iri="{courses_tags.activity_iri("package", "PKG-7")}"' in package_html
    assert courses_tags.activity_iri("course", "GS-BEEF-9").endswith("/course/GS-BEEF-9")

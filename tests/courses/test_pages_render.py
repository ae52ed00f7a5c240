"""Every public page type renders with its key facts; unpublished content is not served."""
from datetime import date

import pytest

from courses.models import SkillCertificate, Specialty
from tests import factories

pytestmark = pytest.mark.django_db


def get(client, page_or_url, **params):
    url = page_or_url if isinstance(page_or_url, str) else page_or_url.url
    return client.get(url, params)


def test_home_page_shows_featured_industries_quality_courses_and_packages(client):
    home, catalogue = factories.site_root()
    factories.industry("cattle", "牛")
    factories.industry("potato", "薯")
    factories.course(title="高原夏菜种植", is_quality_course=True, quality_year=2025)
    factories.course(title="普通课程")
    factories.package(title="陇原月嫂培训包")
    response = get(client, "/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "高原夏菜种植" in html and "普通课程" not in html  # only quality courses are highlighted
    assert "陇原月嫂培训包" in html
    assert f'href="{catalogue.url}?industry=cattle"' in html and "薯" in html
    assert f'href="{catalogue.url}libraries/"' in html


def test_base_layout_has_site_name_nav_language_switch_and_login(client):
    factories.site_root()
    html = get(client, "/").content.decode()
    assert "技能甘肃" in html
    assert '<main id="main"' in html and "<nav" in html and "<footer" in html
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="en"' in html
    assert "csrfmiddlewaretoken" in html
    assert "?next=/" in html  # log-in link returns to the page


def test_language_switch_works_without_javascript(client):
    home, catalogue = factories.site_root()
    response = client.post("/i18n/setlang/", {"language": "en", "next": catalogue.url})
    assert response.status_code == 302 and response["Location"] == catalogue.url
    html = client.get(catalogue.url).content.decode()
    assert '<html lang="en">' in html
    assert "Show courses" in html and 'value="zh-hans"' in html


def test_chinese_is_the_default_language(client):
    factories.site_root()
    html = get(client, "/").content.decode()
    assert '<html lang="zh-Hans">' in html


def test_institution_section_lists_its_courses_libraries_and_packages(client):
    section = factories.section(factories.institution(name="酒泉职业技术学院"))
    factories.course(section, title="戈壁农业技术")
    factories.course(section, title="未发布课程", live=False)
    factories.library(section, title="戈壁农业资源库")
    factories.package(section, title="乡村工匠培训包")
    html = get(client, section).content.decode()
    assert "酒泉职业技术学院" in html and "戈壁农业技术" in html
    assert "戈壁农业资源库" in html and "乡村工匠培训包" in html
    assert "未发布课程" not in html


def test_course_page_shows_facts_teachers_outcomes_certificates_outline_and_revisions(client):
    specialty = Specialty.objects.create(code="410303", name="畜牧兽医")
    cert = SkillCertificate.objects.create(code="cattle-junior", field_name="家畜繁殖", level="junior")
    course = factories.course(
        title="肉牛养殖", code="GS-CATTLE-01", credits=3, class_hours=48, specialty=specialty,
        is_quality_course=True, quality_year=2024, learning_outcomes="<p>掌握肉牛饲养</p>",
        prerequisites="<p>动物学基础</p>", last_major_revision=date(2024, 9, 1), last_minor_revision=date(2025, 9, 1),
    )
    course.skill_certificates.add(cert)
    course.industries.add(factories.industry("cattle", "牛"))
    course.teachers.create(name="王老师", title="副教授")
    course.save_revision().publish()
    unit = factories.unit(course, title="第一单元 牛舍管理")
    factories.lesson(unit, title="牛舍通风")
    factories.lesson(unit, title="草稿课", live=False)
    html = get(client, course).content.decode()
    for fact in ["肉牛养殖", "GS-CATTLE-01", "48", "畜牧兽医", "王老师", "副教授", "掌握肉牛饲养", "动物学基础",
                 "家畜繁殖", "第一单元 牛舍管理", "牛舍通风", "2024-09-01", "2025-09-01", "2026-09-01", "2027-09-01"]:
        assert fact in html, fact
    assert 'class="badge"' in html
    assert "草稿课" not in html


def test_unit_page_lists_its_lessons_in_order(client):
    unit = factories.unit(factories.course())
    factories.lesson(unit, title="甲课")
    factories.lesson(unit, title="乙课")
    html = get(client, unit).content.decode()
    assert html.index("甲课") < html.index("乙课")


def test_resource_library_lists_resources_with_partners(client):
    partner = factories.institution(name="张掖职业学院")
    library = factories.library(title="畜牧兽医资源库")
    library.partner_institutions.add(partner)
    library.save_revision().publish()
    factories.resource(library, title="牛舍设计图")
    html = get(client, library).content.decode()
    assert "畜牧兽医资源库" in html and "张掖职业学院" in html and "牛舍设计图" in html


def test_resource_page_shows_download_licence_author_and_where_it_is_used(client):
    library = factories.library()
    doc = factories.document(title="饲养手册", content=b"x" * 2048)
    resource = factories.resource(library, title="饲养手册", resource_type="document", file=doc, link_url="",
                                  author="李教授", licence="cc-by-4.0")
    course = factories.course()
    unit = factories.unit(course)
    lesson = factories.lesson(unit, title="引用课", body=[("resource", {"resource": resource, "note": "课前阅读"})])
    factories.lesson(unit, title="未发布引用课", live=False, body=[("resource", {"resource": resource})])
    html = get(client, resource).content.decode()
    assert doc.url in html and "2.0" in html  # 2.0 KB
    assert "李教授" in html and "CC BY 4.0" in html
    assert "引用课" in html and lesson.url in html
    assert "未发布引用课" not in html


def test_training_package_shows_contents_in_order_hours_target_group_regions_quota_certificate(client):
    section = factories.section()
    first = factories.course(section, title="刺绣基础")
    second = factories.course(section, title="刺绣进阶")
    package = factories.package(section, items=[second, first], title="陇原巧手培训包", hours=56,
                                target_group="农村妇女", quota=30, certificate_name="陇原巧手结业证书")
    package.regions.add(factories.region(name="临夏回族自治州"))
    package.save_revision().publish()
    html = get(client, package).content.decode()
    for fact in ["陇原巧手培训包", "56", "农村妇女", "30", "临夏回族自治州", "陇原巧手结业证书", "陇原巧手"]:
        assert fact in html, fact
    assert html.index("刺绣进阶") < html.index("刺绣基础")


def test_library_and_package_indexes(client):
    home, catalogue = factories.site_root()
    factories.library(title="旅游资源库")
    factories.package(title="雨露计划培训包")
    libraries = client.get(f"{catalogue.url}libraries/")
    packages = client.get(f"{catalogue.url}packages/")
    assert libraries.status_code == 200 and "旅游资源库" in libraries.content.decode()
    assert packages.status_code == 200 and "雨露计划培训包" in packages.content.decode()


@pytest.mark.parametrize("kind", ["course", "unit", "lesson", "library", "resource", "package"])
def test_unpublished_content_is_not_found(client, kind):
    course = factories.course()
    unit = factories.unit(course)
    library = factories.library()
    pages = {
        "course": lambda: factories.course(live=False),
        "unit": lambda: factories.unit(course, live=False),
        "lesson": lambda: factories.lesson(unit, live=False),
        "library": lambda: factories.library(live=False),
        "resource": lambda: factories.resource(library, live=False),
        "package": lambda: factories.package(live=False),
    }
    page = pages[kind]()
    response = client.get(page.url)
    assert response.status_code == 404
    assert "技能甘肃" in response.content.decode()


def test_children_of_an_unpublished_course_are_not_found(client):
    course = factories.course()
    unit = factories.unit(course)
    lesson = factories.lesson(unit)
    course.unpublish()
    assert client.get(lesson.url).status_code == 404

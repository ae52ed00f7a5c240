"""Pages run a constant number of queries as content grows: build N items, count, build 3N, count again.

Each page is requested once before counting so that one-off work (image renditions, caches) is not
mistaken for per-item queries.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db

N = 4
CEILING = 40  # a generous absolute cap, so a constant-but-wasteful page also fails


def count_queries(client, url, **params) -> int:
    assert client.get(url, params).status_code == 200  # warm up: renditions, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    print(f"queries {url} {params or ''}: {len(queries)}")
    return len(queries)


def add_courses(sections, count):
    cattle, potato = factories.industry("cattle", "牛"), factories.industry("potato", "薯")
    for i in range(count):
        course = factories.course(sections[i % len(sections)], cover=factories.image(), is_quality_course=True)
        course.industries.add(cattle, potato)
        course.programs.add(factories.program())
        course.save_revision().publish()


def add_lessons(unit, count):
    resource = factories.resource(factories.library())
    for _ in range(count):
        factories.lesson(unit, body=[
            ("text", "<p>内容</p>"),
            ("image", {"image": factories.image(), "caption": ""}),
            ("resource", {"resource": resource, "note": ""}),
        ])


def test_catalogue_queries_do_not_grow_with_courses(client):
    _home, catalogue = factories.site_root()
    sections = [factories.section() for _ in range(2)]
    add_courses(sections, N)
    small = count_queries(client, catalogue.url)
    small_filtered = count_queries(client, catalogue.url, industry="cattle", level="higher")
    add_courses(sections + [factories.section()], 2 * N)
    assert count_queries(client, catalogue.url) == small <= CEILING
    assert count_queries(client, catalogue.url, industry="cattle", level="higher") == small_filtered <= CEILING


def test_home_page_queries_do_not_grow_with_courses_and_packages(client):
    home, _catalogue = factories.site_root()
    add_courses([factories.section()], N)
    factories.package()
    small = count_queries(client, home.url)
    add_courses([factories.section()], 2 * N)
    factories.package()
    assert count_queries(client, home.url) == small <= CEILING


def test_course_page_queries_do_not_grow_with_units_and_lessons(client):
    course = factories.course(cover=factories.image())
    course.teachers.create(name="王老师")
    course.save_revision().publish()

    def grow(units, lessons):
        for _ in range(units):
            unit = factories.unit(course)
            for _ in range(lessons):
                factories.lesson(unit)

    grow(2, 2)
    small = count_queries(client, course.url)
    grow(4, 4)
    assert count_queries(client, course.url) == small <= CEILING


def test_lesson_page_queries_do_not_grow_with_sibling_lessons(client):
    unit = factories.unit(factories.course())
    add_lessons(unit, 2)
    lesson = factories.lesson(unit, body=[("image", {"image": factories.image(), "caption": "图"})])
    add_lessons(unit, 1)
    small = count_queries(client, lesson.url)
    add_lessons(unit, 6)
    assert count_queries(client, lesson.url) == small <= CEILING


def test_library_page_queries_do_not_grow_with_resources(client):
    library = factories.library()
    for _ in range(N):
        factories.resource(library, industry=factories.industry())
    small = count_queries(client, library.url)
    for _ in range(2 * N):
        factories.resource(library, industry=factories.industry())
    assert count_queries(client, library.url) == small <= CEILING


def test_package_page_queries_do_not_grow_with_contents(client):
    section = factories.section()
    small_package = factories.package(section, items=[factories.course(section) for _ in range(N)])
    big_package = factories.package(section, items=[factories.course(section) for _ in range(3 * N)])
    assert count_queries(client, big_package.url) == count_queries(client, small_package.url) <= CEILING


def test_resource_page_queries_do_not_grow_with_reuse(client):
    resource = factories.resource(factories.library())
    unit = factories.unit(factories.course())
    for _ in range(N):
        factories.lesson(unit, body=[("resource", {"resource": resource, "note": ""})])
    small = count_queries(client, resource.url)
    for _ in range(2 * N):
        factories.lesson(unit, body=[("resource", {"resource": resource, "note": ""})])
    assert count_queries(client, resource.url) == small <= CEILING

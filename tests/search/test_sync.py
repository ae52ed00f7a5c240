"""Publishing, unpublishing, restricting and deleting pages keeps the index in step (courses/sync_search.py)."""
import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from wagtail.models import PageViewRestriction

from search import api
from tests import factories as f

pytestmark = pytest.mark.django_db


def keys(results):
    return {hit.key for hit in results.hits}


def found_course(user=None) -> int:
    return api.search("yangzhi", user=user, filters={"kind": ["course"]}).total


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        section = f.section()
        course = f.course(section, title="牛羊养殖技术", summary="肉牛饲养管理。")
        course.industries.add(f.industry("cattle", "牛"))
        course.programs.add(f.program())
        course.save_revision().publish()
        unit = f.unit(course)
        lesson = f.lesson(unit, title="犊牛护理", body=[("text", "<p>初乳<b>喂养</b>要点</p>")])
        library = f.library(section, title="畜牧兽医资源库")
        resource = f.resource(library, title="牛舍设计图纸", description="标准化牛舍")
        package = f.package(section, items=[course], title="陇原巧手刺绣")
    return {"course": course, "lesson": lesson, "resource": resource, "library": library, "package": package,
            "section": section}


def test_published_pages_are_searchable_with_their_facets(published):
    course, lesson = published["course"], published["lesson"]
    results = api.search("yangzhi", filters={"kind": ["course"]})
    assert keys(results) == {f"page:{course.pk}"}
    # the lesson carries its course's title as a keyword, but the course itself ranks first
    assert api.search("yangzhi").hits[0].key == f"page:{course.pk}"
    hit = results.hits[0]
    assert hit.url == course.url and hit.kind == "course"
    facets = {name: {v.value for v in values} for name, values in results.facets.items() if values}
    assert facets["industry"] == {"cattle"} and facets["program"] == {"longyuan-qiaoshou"}
    assert facets["institution"] == {course.institution.slug} and facets["level"] == {"higher"}
    # the lesson's body text is searchable and the lesson inherits the course's facets
    assert keys(api.search("初乳", filters={"industry": ["cattle"]})) == {f"page:{lesson.pk}"}
    assert f"page:{published['resource'].pk}" in keys(api.search("牛舍"))
    assert keys(api.search("刺绣", filters={"kind": ["package"]})) == {f"page:{published['package'].pk}"}


def test_drafts_are_not_searchable(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = f.course(published["section"], title="设施蔬菜栽培", live=False)
    assert api.search("蔬菜").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert keys(api.search("蔬菜")) == {f"page:{draft.pk}"}


def test_unpublishing_a_course_removes_it_and_its_lessons(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published["course"].unpublish()
    assert found_course() == 0
    assert api.search("初乳").total == 0
    assert api.search("犊牛").total == 0


def browse_kinds(user=None) -> dict[str, int]:
    return {f.value: f.count for f in api.search("", user=user).facets["kind"]}


def test_browsing_counts_follow_publishing(published, django_capture_on_commit_callbacks):
    every_kind = {"course": 1, "lesson": 1, "resource": 1, "library": 1, "package": 1}
    assert browse_kinds() == every_kind and api.search("").total == 5
    with django_capture_on_commit_callbacks(execute=True):
        published["course"].unpublish()
    assert browse_kinds() == {"resource": 1, "library": 1, "package": 1}
    with django_capture_on_commit_callbacks(execute=True):
        published["course"].save_revision().publish()
        PageViewRestriction.objects.create(page=published["resource"], restriction_type=PageViewRestriction.LOGIN)
    assert browse_kinds() == {"course": 1, "lesson": 1, "library": 1, "package": 1}
    assert browse_kinds(User.objects.create_user("learner")) == every_kind


def test_deleting_a_page_removes_it(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published["resource"].delete()
    assert api.search("牛舍").total == 0


def test_view_restrictions(published, django_capture_on_commit_callbacks):
    course = published["course"]
    learner = User.objects.create_user("learner")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert found_course() == 0
    assert found_course(learner) == 1
    assert api.search("初乳", user=learner).total == 1  # the lesson sits under the restricted course
    with django_capture_on_commit_callbacks(execute=True):
        restriction.restriction_type = PageViewRestriction.PASSWORD
        restriction.password = "secret"
        restriction.save()
    assert found_course(learner) == 0
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert found_course() == 1


def test_rebuild_recreates_the_store_and_drops_strays(published, django_capture_on_commit_callbacks):
    from search.models import IndexedDocument

    IndexedDocument.objects.filter(key=f"page:{published['course'].pk}").delete()
    IndexedDocument.objects.create(key="page:999999", kind="course", title="幽灵", url="/",
                                   published_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        count = api.rebuild()
    assert count == 5
    assert found_course() == 1 and api.search("幽灵").total == 0
    # the rows written behind search.api's back are counted right again after the rebuild
    assert browse_kinds() == {"course": 1, "lesson": 1, "resource": 1, "library": 1, "package": 1}


def test_rebuild_command(published, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    from search.models import IndexedDocument

    IndexedDocument.objects.all().delete()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("search_rebuild", verbosity=0, stdout=out)
    assert "5 documents in the store." in out.getvalue()
    assert found_course() == 1

"""seed_demo: runs twice without duplicates and produces the promised province; --scale province
bulk-creates a consistent tree (run here at a small scale factor)."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Page, Revision, Site

from courses.demo import builder, bulk, catalogue, places
from courses.models import (
    CatalogueIndexPage,
    CoursePage,
    HomePage,
    Industry,
    InstitutionSectionPage,
    LessonPage,
    ResourceLibraryPage,
    ResourcePage,
    TrainingPackagePage,
    TrainingProgram,
)
from lms.institutions.models import Institution, Region

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the platform's default language is zh-Hans."""
    with translation.override("en"):
        yield


def _seed(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):  # a test-client request in between re-activates zh-Hans
        call_command("seed_demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _counts():
    return {model.__name__: model.objects.count() for model in (
        Page, Region, Institution, Industry, TrainingProgram, CoursePage, LessonPage, ResourcePage,
        ResourceLibraryPage, TrainingPackagePage, get_user_model(), Revision)}


def test_seed_demo_twice_builds_the_province_once(client):
    output = _seed()
    first = _counts()
    second_output = _seed()
    assert _counts() == first, "a second run must not create or duplicate anything"
    assert "0 new pages" in second_output

    # The home page replaced Wagtail's welcome page as the default site's root.
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert Page.objects.filter(depth=2).count() == 1
    assert CatalogueIndexPage.objects.child_of(site.root_page).live().count() == 1

    # Places: the province, 14 cities in three clusters, counties; institutions in every cluster.
    assert Region.objects.filter(level="city").count() == 14
    assert set(Region.objects.filter(level="city").values_list("cluster", flat=True)) == {
        "longzhong", "hexi", "longdongnan"}
    assert Region.objects.get(code="620900").name == "酒泉市"
    assert {inst.cluster for inst in Institution.objects.select_related("region__parent")} == {
        "longzhong", "hexi", "longdongnan"}
    assert InstitutionSectionPage.objects.live().count() == len(places.INSTITUTIONS)

    # Taxonomy: six featured and ten green industries, the seven programs.
    assert Industry.objects.filter(kind="featured").count() == 6
    assert Industry.objects.filter(kind="green").count() == 10
    assert set(TrainingProgram.objects.values_list("name", flat=True)) >= {
        "陇原巧手", "陇原月嫂", "农业职业经理人", "高素质农民", "乡村工匠", "雨露计划", "中文+职业技能"}

    # Courses in each featured industry, published, with units and lessons using text/callouts/resources.
    assert CoursePage.objects.live().count() == len(catalogue.COURSES)
    for code in ("cattle", "sheep", "vegetables", "fruit", "potato", "herbs"):
        assert CoursePage.objects.live().filter(industries__code=code).exists(), code
    course = CoursePage.objects.get(code="GS-CATTLE-01")
    assert course.live and course.live_revision_id and not course.has_unpublished_changes
    lessons = LessonPage.objects.live().descendant_of(course)
    assert lessons.count() == 4
    block_types = {block.block_type for lesson in lessons for block in lesson.body}
    assert {"text", "callout", "resource"} <= block_types
    response = client.get(lessons.first().url)
    assert response.status_code == 200 and "牛舍" in response.content.decode()

    # A library with resources, one of them a real PDF stored through default_storage.
    library = ResourceLibraryPage.objects.get(slug="animal-husbandry")
    assert ResourcePage.objects.child_of(library).live().count() == 6
    document = ResourcePage.objects.get(code="AH-001").file
    with document.open_file() as stream:
        assert stream.read(5) == b"%PDF-"

    # The two named packages, with their courses in order.
    qiaoshou = TrainingPackagePage.objects.get(program__name="陇原巧手")
    yuesao = TrainingPackagePage.objects.get(program__name="陇原月嫂")
    assert qiaoshou.live and yuesao.live
    assert [item.item.specific.code for item in yuesao.items.order_by("sort_order")] == ["GS-YS-01", "GS-YS-02"]

    # Accounts are printed with their passwords and can sign in.
    for username in ("admin", "reviewer", "teacher", "learner"):
        assert username in output
    assert builder.DEFAULT_PASSWORD in output
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(builder.DEFAULT_PASSWORD)
    for username in ("admin", "teacher", "reviewer", "province", "wuwei_gov", "gsahvc_admin"):
        client.logout()
        response = client.post("/admin/login/", {"username": username, "password": builder.DEFAULT_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/admin/").status_code == 200, username
    from plugins.core import registry

    assert all(registry.is_enabled(p, site) for p in ("video", "quiz", "assignment", "attendance", "document"))
    client.force_login(get_user_model().objects.get(username="wuwei_gov"))
    assert client.get("/admin/reports/dashboard/").context["scope"].city_code == "620600"
    learner = get_user_model().objects.get(username="learner")
    assert learner.check_password(builder.DEFAULT_PASSWORD) and learner.profile.learner_type == "farmer"


def test_province_scale_bulk_tree_is_consistent_and_idempotent(client, django_capture_on_commit_callbacks):
    _seed()
    before = Page.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = _seed("--scale", "province", "--scale-factor", "0.01")
    assert callbacks, "the bulk load pushes the new courses' outlines after commit"
    assert "5 courses, 1 libraries, 100 resources" in output
    assert Page.objects.count() == before + 5 * (1 + bulk.UNITS + bulk.UNITS * bulk.LESSONS) + 1 + 100
    assert Page.find_problems() == ([], [], [], [], [])

    course = CoursePage.objects.get(code="GS-P-0001")
    assert course.live and course.live_revision.content["code"] == "GS-P-0001"
    assert course.institution_id and course.industries.exists()
    assert LessonPage.objects.child_of(course.get_children().first()).count() == bulk.LESSONS
    assert client.get(course.url).status_code == 200
    lesson = LessonPage.objects.descendant_of(course).first()
    assert client.get(lesson.url).status_code == 200
    resource = ResourcePage.objects.get(code="GS-PR-00001")
    assert resource.keywords.count() == 1 and client.get(resource.url).status_code == 200
    # Wagtail's own add_child still works after the bulk insert (paths and numchild are right).
    section = InstitutionSectionPage.objects.first()
    section.add_child(instance=CoursePage(title="新课程", slug="new-after-bulk", code="NEW-1", level="higher",
                                          summary="简介"))

    again = _seed("--scale", "province", "--scale-factor", "0.01")
    assert "0 courses, 0 libraries, 0 resources" in again
    assert Page.find_problems() == ([], [], [], [], [])

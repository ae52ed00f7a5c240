"""Authoring through the Wagtail admin over HTTP: create, publish, institution boundaries, review workflow."""
import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from courses.models import CoursePage
from tests import factories
from tests.courses.test_authoring import reviewer, superuser, teacher_of

pytestmark = pytest.mark.django_db


def course_form(code="C90001", **fields):
    data = {
        "title": "肉牛养殖技术", "slug": code.lower(), "code": code, "level": "higher", "credits": "2.0",
        "class_hours": "32", "summary": "肉牛饲养管理与疫病防治。",
        "learning_outcomes": rich_text("<p>能够制定肉牛饲养方案。</p>"), "prerequisites": rich_text(""),
        "last_major_revision": "2025-09-01", "last_minor_revision": "2025-09-01",
        "teachers": inline_formset([{"name": "王老师", "title": "副教授", "user": ""}]),
        "comments": inline_formset([]),
        "completion_require_activities": "on", "completion_require_quiz_pass": "on",
        "completion_require_attendance": "on", "completion_min_hours": "0",
    }
    data.update(fields)
    return nested_form_data(data)


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("courses", "coursepage", parent.pk))


def errors(response):
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    return form.errors.as_json() if form is not None else response.content[:500]


def assert_denied(response):
    """Wagtail answers a permission failure in the admin with a redirect to the dashboard and a message."""
    assert (response.status_code, response.get("Location")) in {(403, None), (302, "/admin/")}, response


def login(user):
    client = Client()
    client.force_login(user)
    return client


def submit_course(client, section, code):
    response = client.post(add_url(section), course_form(code, **{"action-submit": "Submit"}))
    assert response.status_code == 302, errors(response)
    return CoursePage.objects.get(code=code)


def test_a_superuser_creates_and_publishes_a_course_through_the_admin():
    section = factories.section()
    client = login(superuser())
    assert client.get(add_url(section)).status_code == 200

    response = client.post(add_url(section), course_form("C90001", **{"action-publish": "Publish"}))

    assert response.status_code == 302, errors(response)
    course = CoursePage.objects.get(code="C90001")
    assert course.live and course.institution == section.institution
    assert course.get_parent().pk == section.pk
    assert [t.name for t in course.teachers.all()] == ["王老师"]
    assert Client().get(course.url).status_code == 200


def test_an_invalid_course_form_is_answered_with_the_errors_and_saves_nothing():
    section = factories.section()
    client = login(superuser())
    response = client.post(add_url(section), course_form("C90002", level="professor", credits="abc"))
    assert response.status_code == 200
    assert not CoursePage.objects.filter(code="C90002").exists()
    form = response.context["form"]
    assert {"level", "credits"} <= set(form.errors)


def test_a_teacher_authors_in_their_own_section_only():
    a, b = factories.section(), factories.section()
    course_b = factories.course(b)
    client = login(teacher_of(a.institution))

    assert client.get(add_url(a)).status_code == 200
    assert_denied(client.get(add_url(b)))
    assert_denied(client.post(add_url(b), course_form("C90003")))
    assert not CoursePage.objects.filter(code="C90003").exists()

    edit_b = reverse("wagtailadmin_pages:edit", args=(course_b.pk,))
    assert_denied(client.get(edit_b))
    before = course_b.revisions.count()
    assert_denied(client.post(edit_b, course_form(course_b.code, title="篡改", slug=course_b.slug)))
    course_b.refresh_from_db()
    assert course_b.title != "篡改" and course_b.revisions.count() == before


def test_a_teacher_cannot_publish_directly():
    section = factories.section()
    client = login(teacher_of(section.institution))
    response = client.post(add_url(section), course_form("C90004", **{"action-publish": "Publish"}))
    assert response.status_code == 302
    course = CoursePage.objects.get(code="C90004")
    assert not course.live and course.live_revision is None


def test_admin_posts_need_the_csrf_token():
    section = factories.section()
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher_of(section.institution))
    assert client.post(add_url(section), course_form("C90005")).status_code == 403
    assert not CoursePage.objects.filter(code="C90005").exists()


def test_a_submitted_course_goes_live_only_when_a_reviewer_approves_it():
    section = factories.section()
    teacher = login(teacher_of(section.institution))
    course = submit_course(teacher, section, "C90006")

    assert not course.live
    assert Client().get(f"{section.url}{course.slug}/").status_code == 404
    state = course.current_workflow_task_state
    assert state is not None and state.status == TaskState.STATUS_IN_PROGRESS
    approve = reverse("wagtailadmin_pages:workflow_action", args=(course.pk, "approve", state.pk))

    # The author cannot approve their own work.
    assert_denied(teacher.post(approve, {"comment": ""}))
    course.refresh_from_db()
    assert not course.live

    response = login(reviewer()).post(approve, {"comment": "内容完整，同意发布。"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.live
    assert WorkflowState.objects.get(object_id=str(course.pk)).status == WorkflowState.STATUS_APPROVED
    assert Client().get(f"{section.url}{course.slug}/").status_code == 200


def test_a_reviewer_requests_changes_with_a_comment_and_the_course_stays_unpublished():
    section = factories.section()
    teacher = login(teacher_of(section.institution))
    course = submit_course(teacher, section, "C90007")
    state = course.current_workflow_task_state
    reject = reverse("wagtailadmin_pages:workflow_action", args=(course.pk, "reject", state.pk))

    response = login(reviewer()).post(reject, {"comment": "请补充学习成果与考核方式。"})

    assert response.status_code == 302
    course.refresh_from_db()
    assert not course.live
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "请补充学习成果与考核方式。"
    workflow_state = WorkflowState.objects.get(object_id=str(course.pk))
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert Client().get(f"{section.url}{course.slug}/").status_code == 404


def test_every_save_keeps_a_revision_and_a_course_under_review_is_locked_for_its_author():
    section = factories.section()
    teacher = login(teacher_of(section.institution))
    response = teacher.post(add_url(section), course_form("C90008"))  # save a draft
    assert response.status_code == 302, errors(response)
    course = CoursePage.objects.get(code="C90008")
    edit = reverse("wagtailadmin_pages:edit", args=(course.pk,))
    counts = [course.revisions.count()]
    for title, action in (("肉牛养殖技术（第二版）", {}), ("肉牛养殖技术（第三版）", {"action-submit": "Submit"})):
        response = teacher.post(edit, course_form(course.code, title=title, slug=course.slug, **action))
        assert response.status_code == 302, errors(response)
        counts.append(course.revisions.count())
    assert counts == [1, 2, 3]
    course.refresh_from_db()
    assert course.get_latest_revision_as_object().title == "肉牛养殖技术（第三版）"
    assert course.revisions.order_by("created_at", "pk").first().as_object().title == "肉牛养殖技术"

    # While the reviewer has it, the author's edits are refused and no revision is added.
    response = teacher.post(edit, course_form(course.code, title="审核中修改", slug=course.slug))
    assert response.status_code == 200
    assert course.revisions.count() == 3

"""Publishing a course pushes its outline (lessons, activity blocks with their IRIs and kinds, the teacher's
rules); publishing a lesson re-pushes it; a package's outline lists its live courses."""
from decimal import Decimal

import pytest

from lms.completion import api as completion
from lms.xapi.api import activity_iri
from tests import factories

from ..progress.helpers import activity, committed, course_with

pytestmark = pytest.mark.django_db


def test_course_outline_on_publish_and_lesson_publish():
    course, (lesson,) = course_with(
        [activity("video", "v1", "视频"), activity("attendance", "s1", "实训"), activity("h5p", "x1", "互动")],
        completion_require_attendance=False, completion_min_hours=Decimal("1.5"), credits=Decimal("2.0"),
    )
    outline = completion.get_outline(activity_iri("course", course.code))
    lesson_iri = activity_iri("course", course.code, "lesson", str(lesson.pk))
    assert [(i.iri, i.kind) for i in outline.items] == [
        (lesson_iri, "lesson"), (lesson_iri + "/v1", "video"), (lesson_iri + "/s1", "attendance"),
        (lesson_iri + "/x1", "activity"),
    ]
    assert outline.rules.require_attendance is False and outline.rules.min_hours == Decimal("1.5")
    assert outline.credits == Decimal("2.0") and outline.institution_id == course.institution_id
    unit = lesson.get_parent()
    with committed():
        factories.lesson(unit, body=[activity("quiz", "q1", "测验")])
    outline = completion.get_outline(activity_iri("course", course.code))
    assert outline.items[-1].kind == "quiz"  # a newly published lesson joins the course's requirements


def test_package_outline_lists_live_courses_and_unpublish_withdraws():
    course, _ = course_with([activity("video", "v1", "视频")])
    draft, _ = course_with([activity("video", "v1", "视频")])
    with committed():
        draft.unpublish()
        package = factories.package(items=[course, draft], code="LYQS-1")
    outline = completion.get_outline(activity_iri("package", "LYQS-1"))
    assert [i.iri for i in outline.items] == [activity_iri("course", course.code)]
    assert completion.get_outline(activity_iri("course", draft.code)) is not None
    with committed():
        package.unpublish()
    from lms.completion.models import OfferingOutline

    assert OfferingOutline.objects.get(offering_iri=activity_iri("package", "LYQS-1")).withdrawn

"""Opening a lesson records one xAPI "experienced" statement for an enrolled learner, so a course of
text-only lessons completes under "every lesson visited"; reloads, anonymous visitors and learners who
are not enrolled record nothing."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.completion import api as completion
from lms.progress import api as progress
from lms.xapi import api as xapi

from ..progress.helpers import committed, course_with, enrolled, learner

pytestmark = pytest.mark.django_db
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"


def visits(user=None):
    return [s for s in xapi.iter_statements() if s["verb"]["id"] == EXPERIENCED
            and (user is None or s["actor"]["account"]["name"] == str(user.pk))]


def open_lesson(client, lesson):
    with committed():
        response = client.get(lesson.url)
    assert response.status_code == 200
    return response


@pytest.fixture
def text_course():
    course, lessons = course_with([("text", "<p>第一课：认识陇绣</p>")], [("text", "<p>第二课：配色</p>")],
                                  completion_require_lessons=True, completion_require_attendance=False)
    return course, lessons, xapi.activity_iri("course", course.code)


def test_visiting_every_text_lesson_completes_the_course(client, text_course):
    course, (first, second), course_iri = text_course
    user = enrolled(learner(), course)
    client.force_login(user)
    open_lesson(client, first)
    assert completion.is_completed(learner_id=user.pk, offering_iri=course_iri) is False
    assert progress.progress_for(user.pk, [course_iri])[course_iri]["percent"] == 50
    open_lesson(client, second)
    assert completion.is_completed(learner_id=user.pk, offering_iri=course_iri) is True
    recorded = visits(user)
    lesson_iris = {xapi.activity_iri("course", course.code, "lesson", str(lesson.pk)) for lesson in (first, second)}
    assert {s["object"]["id"] for s in recorded} == lesson_iris and len(recorded) == 2
    assert all(s["context"]["contextActivities"]["grouping"][0]["id"] == course_iri for s in recorded)
    # "Continue where you left off" points at a lesson the learner opened.
    assert progress.progress_for(user.pk, [course_iri])[course_iri]["last_activity_url"].endswith(second.url)


def test_reloads_add_no_statements_and_cost_one_query(client, text_course):
    course, (first, _second), _course_iri = text_course
    user = enrolled(learner(), course)
    client.force_login(user)
    open_lesson(client, first)
    assert len(visits(user)) == 1
    with CaptureQueriesContext(connection) as once:
        open_lesson(client, first)
    for _ in range(3):
        open_lesson(client, first)
    assert len(visits(user)) == 1
    with CaptureQueriesContext(connection) as again:
        open_lesson(client, first)
    assert len(again) == len(once)


def test_a_racing_second_visit_is_stored_once(text_course):
    """Two first views that both passed the cheap check: the derived statement id makes the second a no-op."""
    course, (first, _second), course_iri = text_course
    user = enrolled(learner(), course)
    lesson_iri = xapi.activity_iri("course", course.code, "lesson", str(first.pk))
    with committed():
        assert completion.record_lesson_visit(user, lesson_iri=lesson_iri, offering_iri=course_iri)
    from lms.progress.models import ActivityState

    ActivityState.objects.filter(learner=user).delete()  # as if the first had not been projected yet
    with committed():
        completion.record_lesson_visit(user, lesson_iri=lesson_iri, offering_iri=course_iri)
    assert len(visits(user)) == 1


def test_anonymous_and_unenrolled_visitors_record_nothing(client, text_course):
    course, (first, _second), course_iri = text_course
    open_lesson(client, first)
    outsider = learner()
    client.force_login(outsider)
    open_lesson(client, first)
    assert visits() == []
    assert completion.is_completed(learner_id=outsider.pk, offering_iri=course_iri) is False


def test_rebuild_keeps_visit_completions(client, text_course):
    from django.core.management import call_command

    from lms.completion.models import Completion

    course, lessons, course_iri = text_course
    user = enrolled(learner(), course)
    client.force_login(user)
    for lesson in lessons:
        open_lesson(client, lesson)
    before = list(Completion.objects.values_list("learner_id", "offering_iri", "revoked_at"))
    with committed():
        call_command("completion_rebuild")
    assert list(Completion.objects.values_list("learner_id", "offering_iri", "revoked_at")) == before
    assert len(before) == 1


def test_the_lesson_invites_visitors_who_are_not_enrolled_to_enrol(client, text_course):
    course, (first, _second), _course_iri = text_course
    invitation = 'class="notice notice-enrol"'
    assert invitation in client.get(first.url).content.decode()  # anonymous
    outsider = learner()
    client.force_login(outsider)
    page = client.get(first.url).content.decode()
    assert invitation in page and 'method="post"' in page  # the enrol form itself, not only a link
    client.force_login(enrolled(learner(), course))
    assert invitation not in client.get(first.url).content.decode()  # first visit: recorded
    assert invitation not in client.get(first.url).content.decode()  # later visits

"""A lesson page with every built-in activity runs the same number of queries however many learners are
enrolled and active on it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.accounts import api as accounts
from lms.enrollment import api as enrollment
from lms.xapi.api import activity_iri

from ..progress.helpers import committed, learner, record, statement
from .helpers import lesson_with_activities

pytestmark = pytest.mark.django_db


def busy_learners(course, lesson, n):
    iri = activity_iri("course", course.code, "lesson", str(lesson.pk), "intro")
    for _ in range(n):
        user = learner()
        with committed():
            enrollment.enrol(user, activity_iri("course", course.code))
        record(statement(user, iri, "progressed", result={"duration": "PT10S"}))


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lesson_page_queries_do_not_grow_with_enrolments(client):
    course, lesson, _bank = lesson_with_activities()
    me = learner()
    with committed():
        enrollment.enrol(me, activity_iri("course", course.code))
    client.force_login(me)
    client.get(lesson.url)  # warm caches (site root, plugin registry)
    busy_learners(course, lesson, 2)
    few = queries(client, lesson.url)
    busy_learners(course, lesson, 15)
    many = queries(client, lesson.url)
    assert many == few, (few, many)
    assert accounts.role_of(me) == accounts.Role.LEARNER

"""Every learner-facing activity endpoint refuses a signed-in learner who is not enrolled in the course:
403 with a message saying what to do (and the enrol button on HTML pages), and nothing is recorded.
Enrolment through a training package that holds the course counts; trainers keep their own rules."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lms.enrollment import api as enrollment
from lms.xapi import api as xapi
from plugins.builtin.assignment.models import Submission
from plugins.builtin.quiz.models import QuizAttempt
from tests import factories

from ..progress.helpers import committed, enrolled, learner
from .helpers import lesson_with_activities
from .test_assignment_attendance import PDF, teacher_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(client):
    inst = factories.institution()
    course, lesson, _bank = lesson_with_activities(institution=inst)
    user = learner()
    client.force_login(user)
    return client, user, course, lesson, inst


def statements_of(user):
    """The learner's statements other than enrolling ("registered")."""
    return [s for s in xapi.iter_statements() if s["actor"].get("account", {}).get("name") == str(user.pk)
            and not s["verb"]["id"].endswith("/registered")]


def endpoints(lesson):
    base = f"/activities/{{}}/{lesson.pk}"
    return [
        ("post", base.format("video") + "/intro/report/", {"data": json.dumps({"event": "play"}),
                                                           "content_type": "application/json"}),
        ("get", base.format("document") + "/pattern/open/", {}),
        ("post", base.format("document") + "/pattern/read/", {}),
        ("post", base.format("quiz") + "/check/start/", {}),
        ("post", base.format("assignment") + "/work/submit/", {"data": {"file": SimpleUploadedFile("a.pdf", PDF)}}),
    ]


def test_every_learner_endpoint_refuses_and_records_nothing(outsider):
    client, user, course, lesson, _inst = outsider
    for method, url, kwargs in endpoints(lesson):
        with committed():
            response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 403, url
        if "video" in url:
            body = response.json()
            assert "报名" in body["error"] and body["enrol_url"] == course.url
        else:
            page = response.content.decode()
            assert course.title in page and 'role="alert"' in page, url
            assert f'href="{course.url}"' in page and 'action="/learning/enrol/"' in page, url
    assert statements_of(user) == []
    assert not QuizAttempt.objects.exists() and not Submission.objects.exists()


def test_enrolling_from_the_refusal_opens_the_activity(outsider):
    client, user, course, lesson, _inst = outsider
    refused = client.post(f"/activities/quiz/{lesson.pk}/check/start/")
    assert refused.status_code == 403
    with committed():
        enrolled_now = client.post("/learning/enrol/", {"iri": xapi.activity_iri("course", course.code),
                                                       "next": course.url})
    assert enrolled_now.status_code == 302 and enrolled_now["Location"] == course.url
    with committed():
        assert client.post(f"/activities/quiz/{lesson.pk}/check/start/").status_code == 302


def test_a_withdrawn_enrolment_no_longer_counts(outsider):
    client, user, course, lesson, _inst = outsider
    enrolled(user, course)
    from lms.enrollment.models import Enrollment

    Enrollment.objects.filter(user=user).update(status=Enrollment.Status.WITHDRAWN)
    response = client.post(f"/activities/video/{lesson.pk}/intro/report/", json.dumps({"event": "play"}),
                           content_type="application/json")
    assert response.status_code == 403 and statements_of(user) == []


def test_another_learners_open_attempt_and_own_old_submission(outsider):
    """An attempt or submission started while enrolled cannot be continued or fetched once withdrawn."""
    client, user, course, lesson, _inst = outsider
    enrolled(user, course)
    with committed():
        started = client.post(f"/activities/quiz/{lesson.pk}/check/start/")
        client.post(f"/activities/assignment/{lesson.pk}/work/submit/", {"file": SimpleUploadedFile("a.pdf", PDF)})
    attempt = QuizAttempt.objects.get(learner=user)
    assert started.status_code == 302
    from lms.enrollment.models import Enrollment

    Enrollment.objects.filter(user=user).update(status=Enrollment.Status.WITHDRAWN)
    before = len(statements_of(user))
    assert client.get(f"/activities/quiz/attempt/{attempt.pk}/").status_code == 403
    assert client.post(f"/activities/quiz/attempt/{attempt.pk}/", {}).status_code == 403
    submission = Submission.objects.get(learner=user)
    assert client.get(f"/activities/assignment/submission/{submission.pk}/file/").status_code == 403
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and len(statements_of(user)) == before


def test_enrolment_through_a_package_counts(outsider):
    client, user, course, lesson, inst = outsider
    package_iri = xapi.activity_iri("package", "PKG-ENROL")
    enrollment.publish_offering(iri=package_iri, kind="package", title="巧手培训包", url="/p/", institution_id=None,
                                quota=None, is_open=True, member_iris=[])
    with committed():
        enrollment.enrol(user, package_iri)
    assert client.post(f"/activities/quiz/{lesson.pk}/check/start/").status_code == 403  # not a member yet
    # The course joins the package after the learner enrolled in it: still theirs to learn.
    enrollment.publish_offering(iri=package_iri, kind="package", title="巧手培训包", url="/p/", institution_id=None,
                                quota=None, is_open=True, member_iris=[xapi.activity_iri("course", course.code)])
    with committed():
        assert client.post(f"/activities/quiz/{lesson.pk}/check/start/").status_code == 302


def test_enrolled_learners_is_one_query(outsider, django_assert_num_queries):
    _client, user, course, _lesson, _inst = outsider
    others = [enrolled(learner(), course) for _ in range(5)]
    iri = xapi.activity_iri("course", course.code)
    with django_assert_num_queries(1):
        found = enrollment.enrolled_learners(iri, [user.pk] + [o.pk for o in others])
    assert found == {o.pk for o in others}


def test_attendance_keeps_trainer_rules_and_refuses_unenrolled_learners(outsider):
    _client, user, course, lesson, inst = outsider
    trainer_client = Client()
    trainer_client.force_login(teacher_of(inst))  # the trainer is not enrolled and needs not be
    url = f"/activities/attendance/{lesson.pk}/visit/sign-off/"
    assert trainer_client.get(url).status_code == 200
    other = enrolled(learner(), course)
    refused = trainer_client.post(url, {"learners": f"{other.username}\n{user.username}"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert user.username in page and other.username not in page.split('role="alert"')[1].split("</")[0]
    assert statements_of(user) == [] and statements_of(other) == []
    enrolled(user, course)
    with committed():
        assert trainer_client.post(url, {"learners": f"{other.username}\n{user.username}"}).status_code == 200
    assert len(statements_of(user)) == 1 and len(statements_of(other)) == 1

"""Quizzes: answers checked on the server; the attempt belongs to the learner; limits hold; refusals change nothing."""
import pytest
from django.test import Client

from lms.xapi import api as xapi
from plugins.builtin.quiz.api import questions_of
from plugins.builtin.quiz.models import QuizAttempt

from ..progress.helpers import committed, enrolled, learner
from .helpers import lesson_with_activities, right_answers, wrong_answers

pytestmark = pytest.mark.django_db
ADL = "http://adlnet.gov/expapi/verbs/"


def verbs(user):
    """The verbs of the learner's activity statements (enrolment and lesson visits are tested elsewhere)."""
    name = str(user.pk)
    return [s["verb"]["id"].removeprefix(ADL) for s in xapi.iter_statements()
            if s["actor"].get("account", {}).get("name") == name
            and s["verb"]["id"].removeprefix(ADL) not in {"registered", "experienced"}]


@pytest.fixture
def quiz(client):
    course, lesson, bank = lesson_with_activities()
    user = enrolled(learner(), course)
    client.force_login(user)
    return client, user, lesson


def start(client, lesson):
    with committed():
        response = client.post(f"/activities/quiz/{lesson.pk}/check/start/")
    assert response.status_code == 302, response.content
    return QuizAttempt.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def submit(client, attempt, data):
    with committed():
        return client.post(f"/activities/quiz/attempt/{attempt.pk}/", data)


def test_fail_then_pass_with_feedback_and_statements(quiz):
    client, user, lesson = quiz
    page = client.get(lesson.url).content.decode()
    assert "入门测验" in page and "/activities/quiz/" in page
    attempt = start(client, lesson)
    form = client.get(f"/activities/quiz/attempt/{attempt.pk}/").content.decode()
    assert "平针绣的针脚应当" in form and "checked" not in form and "correct\"" not in form
    questions = questions_of(attempt)
    assert submit(client, attempt, wrong_answers(questions)).status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed is False and attempt.score == 0
    result = client.get(f"/activities/quiz/attempt/{attempt.pk}/").content.decode()
    assert 'data-passed="false"' in result and "针脚要均匀" in result
    second = start(client, lesson)
    assert second.number == 2
    submit(client, second, right_answers(questions_of(second)))
    second.refresh_from_db()
    assert second.passed is True and second.score == 100
    assert verbs(user) == ["attempted"] + ["answered"] * 4 + ["failed", "attempted"] + ["answered"] * 4 + ["passed"]


def test_no_attempt_after_the_limit(quiz):
    client, user, lesson = quiz
    for _ in range(2):
        attempt = start(client, lesson)
        submit(client, attempt, wrong_answers(questions_of(attempt)))
    response = client.post(f"/activities/quiz/{lesson.pk}/check/start/")
    assert response.status_code == 403 and "2" in response.content.decode()
    assert QuizAttempt.objects.filter(learner=user).count() == 2


def test_another_learners_attempt_is_refused_and_unchanged(quiz):
    owner_client, owner, lesson = quiz
    client = Client()
    attempt = start(owner_client, lesson)
    intruder = enrolled(learner(), lesson.get_parent().get_parent().specific)
    client.force_login(intruder)
    before = len(list(xapi.iter_statements()))
    response = submit(client, attempt, right_answers(questions_of(attempt)))
    assert response.status_code == 403 and "另一位学员" in response.content.decode()  # zh-Hans by default
    assert client.get(f"/activities/quiz/attempt/{attempt.pk}/").status_code == 403
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and len(list(xapi.iter_statements())) == before


def test_tampered_question_ids_and_choices_are_refused(quiz):
    client, user, lesson = quiz
    attempt = start(client, lesson)
    questions = questions_of(attempt)
    tampered = right_answers(questions) | {"q999999": "true"}
    response = submit(client, attempt, tampered)
    assert response.status_code == 400 and "999999" in response.content.decode()
    single = next(q for q in questions if q.kind == "single")
    other_choice = next(q for q in questions if q.kind == "multiple").choices.first()
    response = submit(client, attempt, {f"q{single.pk}": str(other_choice.pk)})
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and verbs(user) == ["attempted"]


def test_a_submitted_attempt_cannot_be_resubmitted(quiz):
    client, user, lesson = quiz
    attempt = start(client, lesson)
    submit(client, attempt, wrong_answers(questions_of(attempt)))
    response = submit(client, attempt, right_answers(questions_of(attempt)))
    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.passed is False


def test_double_click_on_start_continues_the_same_attempt(quiz):
    client, user, lesson = quiz
    assert start(client, lesson).pk == start(client, lesson).pk
    assert verbs(user) == ["attempted"]

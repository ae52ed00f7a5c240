"""Activity state is projected from statements the moment they are recorded; voided and late statements
re-evaluate; duplicates change nothing."""
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.progress import api as progress
from lms.progress.data import VIDEO_PROGRESS, VIDEO_TIME
from lms.progress.signals import activities_changed
from lms.xapi import api as xapi

from .helpers import Signals, committed, learner, record, statement, void

pytestmark = pytest.mark.django_db
VIDEO = "https://skills.gansu.edu.cn/xapi/activities/course/C1/lesson/9/intro-video"


def progressed(user, seconds, position, fraction, at=None):
    return statement(user, VIDEO, "progressed", at=at, result={
        "duration": f"PT{seconds}S", "extensions": {VIDEO_TIME: position, VIDEO_PROGRESS: fraction}})


def test_statements_become_state_at_once():
    user = learner()
    with Signals(activities_changed, "changes") as changed:
        record(progressed(user, 30, 30.0, 0.25), progressed(user, 40.5, 70.5, 0.59))
    state = progress.states_for(user.pk, [VIDEO])[VIDEO]
    assert state.seconds == pytest.approx(70.5)
    assert state.position == pytest.approx(70.5)
    assert state.percent == 59 and not state.completed
    assert changed.sent == [{(user.pk, VIDEO)}]


def test_completed_statement_makes_it_100_percent():
    user = learner()
    record(progressed(user, 100, 100, 0.95), statement(user, VIDEO, "completed", result={"completion": True}))
    state = progress.states_for(user.pk, [VIDEO])[VIDEO]
    assert state.completed and state.percent == 100


def test_a_resent_statement_is_not_counted_twice():
    user = learner()
    first = progressed(user, 30, 30, 0.25)
    record(first)
    record(first)  # the LRS accepts the same statement again silently
    with committed():
        progress.project([xapi.iter_statements().__next__()])  # and a duplicate signal changes nothing
    assert progress.states_for(user.pk, [VIDEO])[VIDEO].seconds == pytest.approx(30)


def test_voiding_re_evaluates_the_state():
    user = learner()
    done = statement(user, VIDEO, "completed", result={"completion": True})
    record(progressed(user, 20, 20, 0.2), done)
    assert progress.states_for(user.pk, [VIDEO])[VIDEO].completed
    record(void(done["id"], user))
    state = progress.states_for(user.pk, [VIDEO])[VIDEO]
    assert not state.completed and state.percent == 20


def test_a_late_statement_takes_its_place_in_time():
    user = learner()
    now = timezone.now()
    record(progressed(user, 10, 80.0, 0.5, at=now))
    record(progressed(user, 10, 20.0, 0.2, at=now - timedelta(minutes=5)))  # arrives late (offline sync)
    state = progress.states_for(user.pk, [VIDEO])[VIDEO]
    assert state.position == pytest.approx(80.0)  # the latest in time, not in arrival
    assert state.seconds == pytest.approx(20) and state.percent == 50


def test_agents_from_elsewhere_are_not_platform_learners():
    outsider = {"objectType": "Agent", "mbox": "mailto:someone@example.org"}
    body = {"actor": outsider, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": VIDEO}}
    record(body)
    assert progress.learners_with_activity([VIDEO]) == set()


def test_quiz_pass_is_kept_after_a_later_fail():
    user = learner()
    quiz = VIDEO + "-quiz"
    record(statement(user, quiz, "failed", result={"success": False, "completion": True, "score": {"scaled": 0.4}}),
           statement(user, quiz, "passed", result={"success": True, "completion": True, "score": {"scaled": 0.8}}))
    state = progress.states_for(user.pk, [quiz])[quiz]
    assert state.passed is True and state.best_score == pytest.approx(0.8)


def test_parse_duration():
    assert progress.parse_duration("PT1H2M3.5S") == pytest.approx(3723.5)
    assert progress.parse_duration("P1D") == 86400
    assert progress.parse_duration("nonsense") == 0

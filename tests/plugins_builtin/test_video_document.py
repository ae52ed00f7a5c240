"""Video reports (quarter points, pause, end) become launched/progressed/completed; the server decides
completion from time actually watched; resume; documents record launched and completed."""
import json

import pytest
from wagtail.models import Site

from lms.progress import api as progress
from lms.xapi import api as xapi
from plugins.core.api import configure_plugin

from ..progress.helpers import committed, enrolled, learner
from .helpers import lesson_with_activities
from .test_quiz import verbs

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(client):
    course, lesson, _bank = lesson_with_activities(video_duration=100)
    user = enrolled(learner(), course)
    client.force_login(user)
    iri = xapi.activity_iri("course", course.code, "lesson", str(lesson.pk), "intro")
    return client, user, lesson, iri


def report(client, lesson, body, raw=None):
    with committed():
        return client.post(f"/activities/video/{lesson.pk}/intro/report/", raw if raw is not None else
                           json.dumps(body), content_type="application/json")


def test_watching_to_the_end_completes_and_resume_works(video):
    client, user, lesson, iri = video
    assert report(client, lesson, {"event": "play", "position": 0, "watched": 0}).json()["percent"] == 0
    assert report(client, lesson, {"event": "progress", "position": 25, "watched": 25}).json()["percent"] == 25
    assert report(client, lesson, {"event": "pause", "position": 40, "watched": 15}).json() == {
        "percent": 40, "completed": False}
    page = client.get(lesson.url).content.decode()
    assert 'data-resume="40.00"' in page and "video/progress.js" in page
    ended = report(client, lesson, {"event": "ended", "position": 100, "watched": 55}).json()
    assert ended == {"percent": 100, "completed": True}
    state = progress.states_for(user.pk, [iri])[iri]
    assert state.completed and state.seconds == pytest.approx(95)
    assert verbs(user) == ["launched", "progressed", "progressed", "progressed", "completed"]


def test_seeking_to_the_end_does_not_complete(video):
    client, user, lesson, iri = video
    assert report(client, lesson, {"event": "ended", "position": 100, "watched": 3}).json()["completed"] is False
    assert not progress.states_for(user.pk, [iri])[iri].completed


@pytest.mark.parametrize("body,raw", [
    ({"event": "rewind"}, None),
    ({"event": "pause", "position": -1, "watched": 1}, None),
    ({"event": "pause", "position": 1, "watched": 99999}, None),
    ({"event": "pause", "position": "NaN", "watched": 1}, None),
    (None, "not json"),
    (None, "[1, 2]"),
])
def test_malformed_reports_are_refused_and_change_nothing(video, body, raw):
    client, user, lesson, iri = video
    response = report(client, lesson, body, raw=raw)
    assert response.status_code == 400 and response.json()["error"]
    assert verbs(user) == []


def test_oversized_anonymous_and_switched_off(video, client):
    client_, user, lesson, iri = video
    assert report(client_, lesson, None, raw=json.dumps({"event": "pause", "pad": "x" * 5000})).status_code == 413
    assert client_.post(f"/activities/video/{lesson.pk}/nope/report/", "{}",
                        content_type="application/json").status_code == 404
    configure_plugin(site=Site.objects.get(is_default_site=True), plugin_id="video", enabled=False)
    assert report(client_, lesson, {"event": "play"}).status_code == 404
    client_.logout()
    assert report(client_, lesson, {"event": "play"}).status_code == 302


def test_document_open_and_read(video):
    client, user, lesson, _iri = video
    with committed():
        opened = client.get(f"/activities/document/{lesson.pk}/pattern/open/")
    assert opened.status_code == 302 and "pattern" in opened["Location"]
    assert client.get(f"/activities/document/{lesson.pk}/pattern/read/").status_code == 405
    with committed():
        assert client.post(f"/activities/document/{lesson.pk}/pattern/read/").status_code == 302
    assert verbs(user) == ["launched", "completed"]
    assert "✓" in client.get(lesson.url).content.decode()

"""The PostgreSQL fast path of the projection writes exactly the rows Django's bulk_create would."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from lms.progress import bulk
from lms.progress.models import ActivityEvent, ActivityState

from .helpers import learner

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EVENT_FIELDS = ["statement_id", "learner_id", "activity_iri", "verb", "completion", "success", "score", "seconds",
                "position", "progress", "more_info", "timestamp", "voided"]


def _values(objects, fields):
    return [tuple(getattr(obj, field) for field in fields) for obj in objects]


def test_events_and_states_round_trip_and_repeat_safely():
    user = learner()
    at = datetime(2026, 5, 1, 8, 30, 0, 123456, tzinfo=UTC)
    events = [
        ActivityEvent(statement_id=uuid.uuid4(), learner_id=user.pk, activity_iri="https://a/1", verb="v/completed",
                      completion=True, success=None, score=None, seconds=0, position=None, progress=None,
                      more_info="", timestamp=at),
        ActivityEvent(statement_id=uuid.uuid4(), learner_id=user.pk, activity_iri="https://a/2 学", verb="v/passed",
                      completion=None, success=False, score=1, seconds=12.5, position=3, progress=0.25,
                      more_info="https://m/'quote'", timestamp=at, voided=True),
    ]
    bulk.insert_events(events)
    bulk.insert_events(events)  # a statement projected twice is stored once
    stored = ActivityEvent.objects.order_by("activity_iri")
    assert _values(stored, EVENT_FIELDS) == _values(events, EVENT_FIELDS)

    first = ActivityState(learner_id=user.pk, activity_iri="https://a/1", completed=True, attempts=2, seconds=5,
                          percent=100, last_at=at, last_url="https://m/1")
    bulk.save_states([first, ActivityState(learner_id=user.pk, activity_iri="https://a/2", passed=False,
                                           best_score=0.5, position=7.5)])
    replaced = ActivityState(learner_id=user.pk, activity_iri="https://a/1", completed=True, passed=True,
                             attempts=3, seconds=9.25, percent=100, attended=True, last_at=at, last_url="")
    bulk.save_states([replaced])
    fields = ["activity_iri", *bulk.STATE_FIELDS]
    assert _values(ActivityState.objects.order_by("activity_iri"), fields) == [
        _values([replaced], fields)[0],
        ("https://a/2", False, False, 0.5, 0, 0.0, 7.5, 0, False, None, ""),
    ]

"""The PostgreSQL fast path of the projection reads and writes exactly the rows Django's ORM would."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from lms.progress import bulk
from lms.progress.models import ActivityEvent, ActivityState
from lms.progress.projection import EVENT_FIELDS, STATE_FIELDS, Event, State

from .helpers import learner

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _values(objects, fields):
    return [tuple(getattr(obj, field) for field in fields) for obj in objects]


def test_events_round_trip_and_a_repeated_statement_is_not_new():
    user = learner()
    at = datetime(2026, 5, 1, 8, 30, 0, 123456, tzinfo=UTC)
    east = datetime(2026, 5, 1, 16, 30, 0, 1, tzinfo=timezone(timedelta(hours=8)))  # Asia/Shanghai offset
    events = [
        Event(uuid.uuid4(), user.pk, "https://a/1", "v/completed", True, None, None, 0.0, None, None, "", at),
        Event(uuid.uuid4(), user.pk, "https://a/2 学\"\\", "v/passed", None, False, 1.0, 12.5, 3.0, 0.25,
              "https://m/'quote'", east, voided=True),
    ]
    assert bulk.insert_events(events, EVENT_FIELDS) == {e.statement_id for e in events}
    assert bulk.insert_events(events, EVENT_FIELDS) == set()  # a statement projected twice is stored once
    stored = ActivityEvent.objects.order_by("activity_iri")
    assert _values(stored, EVENT_FIELDS) == _values(events, EVENT_FIELDS)


def test_states_are_inserted_replaced_and_read_back_by_pair():
    user, other = learner(), learner()
    at = datetime(2026, 5, 1, 8, 30, 0, 123456, tzinfo=UTC)
    first = State(user.pk, "https://a/1", completed=True, attempts=2, seconds=5.0, percent=100, last_at=at,
                  last_url="https://m/1")
    bulk.save_states([first, State(user.pk, "https://a/2", passed=False, best_score=0.5, position=7.5),
                      State(other.pk, "https://a/1")], STATE_FIELDS)
    replaced = State(user.pk, "https://a/1", completed=True, passed=True, attempts=3, seconds=9.25, percent=100,
                     attended=True, last_at=at, last_url="")
    bulk.save_states([replaced], STATE_FIELDS)
    assert _values(ActivityState.objects.filter(learner=user).order_by("activity_iri"), STATE_FIELDS) == [
        _values([replaced], STATE_FIELDS)[0],
        (user.pk, "https://a/2", False, False, 0.5, 0, 0.0, 7.5, 0, False, None, ""),
    ]
    read = bulk.select_states({(user.pk, "https://a/1"), (other.pk, "https://a/2")}, STATE_FIELDS)
    assert read == [_values([replaced], STATE_FIELDS)[0]]  # only the pairs asked for, not every row of a learner

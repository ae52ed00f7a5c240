"""Learners already recorded as active on a day cost no query the next time (lms.reports.api)."""
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from lms.accounts import api as accounts
from lms.reports import api as reports
from lms.reports.models import LearnerDay

pytestmark = pytest.mark.django_db

DAY = date(2026, 5, 10)


@pytest.fixture
def learners():
    return [accounts.create_person(username=f"active-{i}", password="pw-123456-x", real_name=str(i)).pk
            for i in range(3)]


def test_a_learner_day_recorded_once_is_not_written_again(learners, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reports.record_active_learners({(learners[0], DAY), (learners[1], DAY)})
    with CaptureQueriesContext(connection) as queries:
        reports.record_active_learners({(learners[0], DAY), (learners[1], DAY)})
    assert len(queries) == 0
    with django_capture_on_commit_callbacks(execute=True):
        reports.record_active_learners({(learners[0], DAY), (learners[2], DAY), (learners[0], date(2026, 5, 11))})
    assert set(LearnerDay.objects.values_list("learner_id", "day")) == {
        (learners[0], DAY), (learners[1], DAY), (learners[2], DAY), (learners[0], date(2026, 5, 11))}


def test_a_rolled_back_learner_day_is_not_remembered(learners, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                reports.record_active_learners({(learners[0], DAY)})
                raise RuntimeError("the caller's transaction fails")
        except RuntimeError:
            pass
    assert not LearnerDay.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        reports.record_active_learners({(learners[0], DAY)})
    assert LearnerDay.objects.filter(learner_id=learners[0], day=DAY).exists()


def test_the_memory_is_bounded(learners, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(reports._RecentLearnerDays, "MAX_PAIRS", 1)
    with django_capture_on_commit_callbacks(execute=True):
        reports.record_active_learners({(learners[0], DAY), (learners[1], DAY)})
    LearnerDay.objects.all().delete()  # as reports_rebuild would, before recounting
    with django_capture_on_commit_callbacks(execute=True):
        reports.record_active_learners({(learners[0], DAY)})
    assert LearnerDay.objects.filter(learner_id=learners[0], day=DAY).exists()

"""Publishing and unpublishing pages keeps the reports' holdings current; learning signals count at once."""
import pytest

from lms.reports import rollups
from lms.reports.models import ActiveLearnerSet, ContentItem, LearnerDay, SummaryCount
from tests import factories

pytestmark = pytest.mark.django_db


def test_published_course_is_described_with_its_tags_and_withdrawn_on_unpublish():
    course = factories.course(is_quality_course=True)
    course.industries.add(factories.industry())
    course.programs.add(factories.program())
    course.save_revision().publish()
    item = ContentItem.objects.get(kind="course", title=course.title)
    assert item.published and item.is_quality and item.institution_id == course.institution_id
    assert set(item.tags.values_list("axis", "code")) == {("industry", "cattle"), ("program", "longyuan-qiaoshou")}
    course.unpublish()
    item.refresh_from_db()
    assert not item.published


def test_statements_mark_learners_active_once_a_day(django_user_model):
    from lms.xapi import api as xapi

    learner = django_user_model.objects.create_user("huang", password="x-123456-y")
    statement = {
        "actor": {"objectType": "Agent",
                  "account": {"homePage": "https://skills.gansu.edu.cn", "name": str(learner.pk)}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "https://skills.gansu.edu.cn/xapi/activities/course/C1"},
        "timestamp": "2026-05-10T09:00:00+08:00",
    }
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        xapi.record([dict(statement), dict(statement, timestamp="2026-05-10T20:00:00+08:00")])
    assert LearnerDay.objects.filter(learner_id=learner.pk).count() == 1
    # Folded at once without Celery workers: the day and month sets of every grouping hold the learner once.
    sets = ActiveLearnerSet.objects.all()
    assert sets.count() == 2 * len(rollups.ACTIVE_GROUPINGS)
    assert {s.size for s in sets} == {1}
    assert not LearnerDay.objects.filter(folded=False).exists()


def test_enrolment_is_counted_when_it_commits(django_user_model):
    from django.test import TestCase

    from lms.enrollment import api as enrollment

    with TestCase.captureOnCommitCallbacks(execute=True):
        course = factories.course()
    learner = django_user_model.objects.create_user("ma", password="x-123456-y")
    iri = ContentItem.objects.get(title=course.title).iri
    with TestCase.captureOnCommitCallbacks(execute=True):
        enrollment.enrol(learner, iri)
    item = ContentItem.objects.get(iri=iri)
    rows = SummaryCount.objects.filter(metric="enrolled")
    assert rows.count() == 2 * len(rollups.COUNT_GROUPINGS)  # day and month, every grouping
    assert {row.count for row in rows} == {1}
    assert {row.item_id for row in rows.filter(grouping=rollups.ITEM)} == {item.pk}


def test_credit_ledger_entries_and_reversals_are_counted(django_user_model):
    from datetime import datetime
    from decimal import Decimal

    from lms.credits.data import LedgerEntryRecord
    from lms.credits.signals import ledger_entry_recorded

    learner = django_user_model.objects.create_user("zhou", password="x-123456-y")
    when = datetime.fromisoformat("2026-05-10T09:00:00+08:00")

    def send(credits, transfer=False):
        ledger_entry_recorded.send(sender=None, entry=LedgerEntryRecord(
            id=1, learner_id=learner.pk, kind="earned", offering_iri="urn:c:x", credits=Decimal(credits),
            is_transfer=transfer, recorded_at=when))

    send("2.5")
    send("2.5", transfer=True)  # re-expressed at another institution: not new credit
    row = SummaryCount.objects.get(metric="credited", grain="m", grouping=0)
    assert (row.count, row.amount) == (1, Decimal("2.5"))
    send("-2.5")  # the reversal when the completion is revoked
    row.refresh_from_db()
    assert (row.count, row.amount) == (0, Decimal("0"))

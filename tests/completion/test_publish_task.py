"""Publishing an outline stores it and leaves re-evaluating its learners to a Celery task that runs after
commit: the publishing request does the same work for 2 or 40 learners, and the task gives the result a
direct evaluation of each learner gives."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.completion import api as completion
from lms.completion import tasks
from lms.completion.data import CompletionRules, ItemKind, Outline, OutlineItem
from lms.completion.models import Completion
from lms.progress.models import OfferingProgress

from ..progress.helpers import committed, learner, record, statement

pytestmark = pytest.mark.django_db
COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/PT1"
VIDEO, QUIZ = COURSE + "/lesson/1/v", COURSE + "/lesson/1/q"


def outline(*kinds: tuple[str, str]):
    items = tuple(OutlineItem(iri, kind) for iri, kind in kinds or ((VIDEO, ItemKind.VIDEO),))
    return Outline(offering_iri=COURSE, kind="course", title="发布", institution_id=None, credits=Decimal("1"),
                   rules=CompletionRules(require_attendance=False), items=items)


def learners_who_watched(n):
    people = [learner() for _ in range(n)]
    record(*[statement(u, VIDEO, "completed", result={"completion": True}) for u in people])
    return people


@pytest.fixture
def queued(monkeypatch):
    """Capture the task instead of running it, as a worker-backed deployment would."""
    calls = []
    monkeypatch.setattr(tasks.reevaluate_outline, "delay", lambda *args: calls.append(args))
    return calls


def publish_queries(o) -> int:
    with CaptureQueriesContext(connection) as captured:
        with committed():
            completion.publish_outline(o)
    return len(captured)


def test_publishing_queues_the_reevaluation_after_commit(queued):
    early = learners_who_watched(2)  # before any outline: progress only
    publish_queries(outline())  # creates the outline; publishing again replaces it
    few = publish_queries(outline())
    assert queued == [(COURSE,), (COURSE,)]
    assert not Completion.objects.exists() and not OfferingProgress.objects.filter(offering_iri=COURSE).exists()
    learners_who_watched(40)  # the outline is live now: these complete as their statements arrive
    many = publish_queries(outline())
    assert many == few  # no per-learner work in the publishing request
    assert not Completion.objects.filter(learner__in=early).exists()

    with committed():
        assert tasks.reevaluate_outline(COURSE) == 42  # what a worker runs
    assert Completion.objects.filter(learner__in=early, revoked_at__isnull=True).count() == 2
    assert Completion.objects.filter(offering_iri=COURSE, revoked_at__isnull=True).count() == 42


def test_nothing_is_queued_when_publishing_rolls_back(queued):
    from django.db import transaction

    with committed():
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                completion.publish_outline(outline())
                raise RuntimeError("the page's publish failed")
    assert queued == []


def test_the_task_gives_the_result_of_direct_evaluation():
    """Eager (no broker, as in dev and tests): the task runs right after commit. A new required quiz
    revokes every completion; the task's answer equals evaluating each learner directly."""
    with committed():
        completion.publish_outline(outline())
    people = learners_who_watched(5)
    record(statement(people[0], QUIZ, "passed", result={"success": True, "completion": True}))
    assert Completion.objects.filter(revoked_at__isnull=True).count() == 5
    with committed():
        completion.publish_outline(outline((VIDEO, ItemKind.VIDEO), (QUIZ, ItemKind.QUIZ)))
    by_task = sorted(Completion.objects.filter(revoked_at__isnull=True).values_list("learner_id", flat=True))
    percents = sorted(OfferingProgress.objects.filter(offering_iri=COURSE).values_list("learner_id", "percent"))
    assert by_task == [people[0].pk]
    for user in people:
        assert completion.evaluate(learner_id=user.pk, offering_iri=COURSE).changed is False
    assert sorted(OfferingProgress.objects.filter(offering_iri=COURSE).values_list("learner_id", "percent")) == percents
    assert dict(percents)[people[1].pk] == 50

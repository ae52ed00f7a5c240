"""The projection handles a batch of statements with a fixed number of queries (progress, completion
evaluation of every course and package holding the activities, "My learning" percentages), and a batch
gives exactly the result of the same statements sent one by one, and of a rebuild."""
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.completion import api as completion
from lms.completion.data import CompletionRules, ItemKind, Outline, OutlineItem
from lms.completion.models import Completion
from lms.progress import receivers
from lms.progress.models import ActivityState, OfferingProgress

from .helpers import committed, learner, record, statement, void

pytestmark = pytest.mark.django_db
BASE = "https://skills.gansu.edu.cn/xapi/activities/"
COURSE, PACKAGE = BASE + "course/BQ1", BASE + "package/BQP"
LESSON = COURSE + "/lesson/1"
VIDEO, QUIZ, READING = LESSON + "/v", LESSON + "/q", COURSE + "/lesson/2"


@pytest.fixture
def outlines():
    with committed():
        completion.publish_outline(Outline(
            offering_iri=COURSE, kind="course", title="批量", institution_id=None, credits=Decimal("1"),
            rules=CompletionRules(require_attendance=False, require_lessons=True),
            items=(OutlineItem(LESSON, ItemKind.LESSON), OutlineItem(VIDEO, ItemKind.VIDEO),
                   OutlineItem(QUIZ, ItemKind.QUIZ), OutlineItem(READING, ItemKind.LESSON))))
        completion.publish_outline(Outline(
            offering_iri=PACKAGE, kind="package", title="批量包", institution_id=None,
            items=(OutlineItem(COURSE, ItemKind.COURSE),)))


def projection_queries(statements) -> int:
    """Queries the projection runs for ``statements``. SQLite caps a query at 999 parameters, so Django splits
    one bulk INSERT of many rows into several back-to-back ones: those count once (PostgreSQL sends one)."""
    with CaptureQueriesContext(connection) as captured:
        with committed():
            receivers.project_recorded(sender=None, statements=statements)
    count, previous = 0, None
    for query in captured.captured_queries:
        head = query["sql"].split("(", 1)[0]
        if not (head.startswith("INSERT") and head == previous and connection.vendor == "sqlite"):
            count += 1
        previous = head
    return count


def test_queries_stay_constant_as_the_batch_grows(outlines):
    people = [learner() for _ in range(110)]
    progressed = {"duration": "PT30S", "extensions": {"https://w3id.org/xapi/video/extensions/progress": 0.5}}
    ten = projection_queries([statement(u, VIDEO, "progressed", result=progressed) for u in people[:10]])
    hundred = projection_queries([statement(u, VIDEO, "progressed", result=progressed) for u in people[10:]])
    assert hundred == ten, (ten, hundred)
    assert ten <= 20
    # Every learner got the state and the course and package percentages.
    assert ActivityState.objects.filter(activity_iri=VIDEO).count() == 110
    assert OfferingProgress.objects.filter(offering_iri=COURSE, percent=12).count() == 110  # 1/2 of 1 of 4 items
    assert OfferingProgress.objects.filter(offering_iri=PACKAGE).count() == 110


def journey(user) -> list[dict]:
    """Everything one learner does, in order: progress, completion of every item, a voided late statement."""
    return [
        statement(user, VIDEO, "progressed", result={"duration": "PT40S"}),
        statement(user, READING, "experienced"),
        statement(user, VIDEO, "completed", result={"completion": True, "duration": "PT20S"}),
        statement(user, QUIZ, "failed", result={"success": False, "completion": True}),
        statement(user, QUIZ, "passed", result={"success": True, "completion": True, "score": {"scaled": 0.9}}),
    ]


def snapshot(users):
    index = {u.pk: i for i, u in enumerate(users)}
    states = sorted((index[r[0]],) + r[1:] for r in ActivityState.objects.filter(learner__in=users).values_list(
        "learner_id", "activity_iri", "completed", "passed", "best_score", "attempts", "seconds", "percent"))
    offerings = sorted((index[r[0]],) + r[1:] for r in OfferingProgress.objects.filter(learner__in=users)
                       .values_list("learner_id", "offering_iri", "percent"))
    completions = sorted((index[r[0]], r[1], r[2] is not None) for r in Completion.objects.filter(learner__in=users)
                         .values_list("learner_id", "offering_iri", "revoked_at"))
    return states, offerings, completions


def test_a_batch_gives_the_result_of_one_by_one_and_of_a_rebuild(outlines):
    one_by_one = [learner() for _ in range(3)]
    batched = [learner() for _ in range(3)]
    for i, user in enumerate(one_by_one):
        for item in journey(user)[: 3 + i]:
            record(item)
    record(*[item for i, user in enumerate(batched) for item in journey(user)[: 3 + i]])
    assert snapshot(one_by_one) == snapshot(batched)
    states, offerings, completions = snapshot(batched)
    assert [c[:2] for c in completions] == [(2, COURSE), (2, PACKAGE)]  # only the third did everything

    # A voiding statement in a later batch revokes both, one by one or batched alike.
    passed_one = [s for s in _stored(one_by_one[2]) if s["verb"]["id"].endswith("passed")][0]
    passed_batch = [s for s in _stored(batched[2]) if s["verb"]["id"].endswith("passed")][0]
    record(void(passed_one["id"], one_by_one[2]))
    record(void(passed_batch["id"], batched[2]), statement(batched[0], QUIZ, "attempted"),
           statement(batched[1], QUIZ, "attempted"))
    record(statement(one_by_one[0], QUIZ, "attempted"))
    record(statement(one_by_one[1], QUIZ, "attempted"))
    assert snapshot(one_by_one) == snapshot(batched)
    assert [c[2] for c in snapshot(batched)[2]] == [True, True]  # both revoked
    before = snapshot(one_by_one + batched)
    with committed():
        call_command("completion_rebuild")
    assert snapshot(one_by_one + batched) == before


def _stored(user):
    from lms.xapi import api as xapi

    return [s for s in xapi.iter_statements() if s["actor"]["account"]["name"] == str(user.pk)]

"""``completion_rebuild`` rebuilds every projection from the LRS with the same result."""
import pytest
from django.core.management import call_command

from lms.completion import api as completion
from lms.completion.data import CompletionRules, ItemKind, Outline, OutlineItem
from lms.completion.models import Completion
from lms.progress.models import ActivityEvent, ActivityState, OfferingProgress

from ..progress.helpers import committed, learner, record, statement, void

pytestmark = pytest.mark.django_db
COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/R1"
VIDEO, QUIZ = COURSE + "/lesson/1/v", COURSE + "/lesson/1/q"


def snapshot():
    states = sorted(ActivityState.objects.values_list(
        "learner_id", "activity_iri", "completed", "passed", "seconds", "position", "percent", "attempts"))
    offerings = sorted(OfferingProgress.objects.values_list("learner_id", "offering_iri", "percent"))
    completions = sorted(Completion.objects.values_list("learner_id", "offering_iri", "revoked_at"))
    return states, offerings, completions


def test_rebuild_gives_the_same_result(capsys):
    with committed():
        completion.publish_outline(Outline(
            offering_iri=COURSE, kind="course", title="重建", institution_id=None,
            rules=CompletionRules(require_attendance=False),
            items=(OutlineItem(VIDEO, ItemKind.VIDEO), OutlineItem(QUIZ, ItemKind.QUIZ))))
    a, b, c = learner(), learner(), learner()
    record(statement(a, VIDEO, "progressed", result={"duration": "PT30S"}),
           statement(a, VIDEO, "completed", result={"completion": True}),
           statement(a, QUIZ, "attempted"),
           statement(a, QUIZ, "passed", result={"success": True, "completion": True}))
    record(statement(b, VIDEO, "completed", result={"completion": True}),
           statement(b, QUIZ, "failed", result={"success": False, "completion": True}))
    wrong = statement(c, QUIZ, "passed", result={"success": True, "completion": True})
    record(statement(c, VIDEO, "completed", result={"completion": True}), wrong)
    record(void(wrong["id"], c))
    before = snapshot()
    assert len(before[2]) == 2  # a completed; c completed then revoked

    ActivityState.objects.update(completed=False, percent=0, seconds=0)  # drift, and then lost rows
    ActivityEvent.objects.filter(learner=b).delete()
    OfferingProgress.objects.all().delete()
    with committed():
        call_command("completion_rebuild")
    assert snapshot() == before
    assert "Projected" in capsys.readouterr().out

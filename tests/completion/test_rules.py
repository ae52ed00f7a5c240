"""Completion is evaluated against the teacher's rules the moment statements arrive; once per learner and
offering; a voided statement revokes it; an outline pushed later still counts earlier learning."""
from decimal import Decimal

import pytest

from lms.completion import api as completion
from lms.completion.data import CompletionRules, ItemKind, Outline, OutlineItem
from lms.completion.signals import completion_recorded, completion_revoked
from lms.progress import api as progress

from ..progress.helpers import Signals, committed, learner, record, statement, void

pytestmark = pytest.mark.django_db
BASE = "https://skills.gansu.edu.cn/xapi/activities/"
COURSE = BASE + "course/EMB101"
LESSON = COURSE + "/lesson/5"
VIDEO, QUIZ, VISIT = LESSON + "/video", LESSON + "/quiz", LESSON + "/visit"


DEFAULT_RULES = CompletionRules()


def outline(rules=DEFAULT_RULES, iri=COURSE, items=None):
    return Outline(
        offering_iri=iri, kind="course", title="陇绣针法基础", institution_id=None, credits=Decimal("1.5"),
        class_hours=24, skill_certificate_codes=("1+X-EMB",), rules=rules, url="/courses/emb101/",
        items=items or (OutlineItem(LESSON, ItemKind.LESSON, "第一课"), OutlineItem(VIDEO, ItemKind.VIDEO, "视频"),
                        OutlineItem(QUIZ, ItemKind.QUIZ, "测验"), OutlineItem(VISIT, ItemKind.ATTENDANCE, "实训")),
    )


def publish(o):
    with committed():
        completion.publish_outline(o)


def passed(user, iri=QUIZ, ok=True):
    return statement(user, iri, "passed" if ok else "failed",
                     result={"success": ok, "completion": True, "score": {"scaled": 0.8 if ok else 0.3}})


def done(user, iri):
    return statement(user, iri, "completed", result={"completion": True}, more_info="https://x.cn/lesson/5/")


def test_completed_when_every_required_item_is_done_and_recorded_once():
    publish(outline())
    user = learner()
    with Signals(completion_recorded, "completion") as recorded:
        record(done(user, VIDEO))
        record(passed(user, ok=False))
        assert progress.progress_for(user.pk, [COURSE])[COURSE]["percent"] == 33
        record(passed(user))
        attended = statement(user, VISIT, "attended")
        record(attended)
        record(statement(user, VIDEO, "experienced"))  # more learning after completion: no second record
    assert len(recorded.sent) == 1
    record_ = recorded.sent[0]
    assert record_.learner_id == user.pk and record_.offering_iri == COURSE and record_.credits == Decimal("1.5")
    assert record_.skill_certificate_codes == ("1+X-EMB",) and attended["id"] in record_.statement_ids
    assert progress.progress_for(user.pk, [COURSE])[COURSE] == {"percent": 100,
                                                                "last_activity_url": "https://x.cn/lesson/5/"}
    assert [c.id for c in completion.completions_for(user.pk)] == [record_.id]


def test_quiz_attempted_is_enough_when_the_teacher_does_not_ask_for_a_pass():
    publish(outline(CompletionRules(require_quiz_pass=False, require_attendance=False)))
    user = learner()
    record(done(user, VIDEO), passed(user, ok=False))
    assert completion.is_completed(learner_id=user.pk, offering_iri=COURSE)


def test_minimum_hours_hold_completion_back():
    publish(outline(CompletionRules(require_attendance=False, min_hours=Decimal("1")),
                    items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))
    user = learner()
    record(statement(user, VIDEO, "completed", result={"completion": True, "duration": "PT1800S"}))
    assert not completion.is_completed(learner_id=user.pk, offering_iri=COURSE)
    assert progress.progress_for(user.pk, [COURSE])[COURSE]["percent"] == 75
    record(statement(user, VIDEO, "progressed", result={"duration": "PT1800S"}))
    assert completion.is_completed(learner_id=user.pk, offering_iri=COURSE)


def test_a_voided_statement_revokes_and_a_new_one_restores():
    publish(outline(CompletionRules(require_attendance=False, require_quiz_pass=False),
                    items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))
    user = learner()
    finished = done(user, VIDEO)
    with Signals(completion_recorded, "completion") as recorded, \
            Signals(completion_revoked, "completion") as revoked:
        record(finished)
        record(void(finished["id"], user))
        assert len(revoked.sent) == 1 and revoked.sent[0].id == recorded.sent[0].id
        assert completion.completions_for(user.pk) == []
        record(done(user, VIDEO))
    assert len(recorded.sent) == 2 and recorded.sent[0].id == recorded.sent[1].id  # the same row, restored


def test_an_outline_published_after_the_learning_counts_it():
    user = learner()
    record(done(user, VIDEO))
    assert completion.completions_for(user.pk) == []
    publish(outline(CompletionRules(require_attendance=False), items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))
    assert completion.is_completed(learner_id=user.pk, offering_iri=COURSE)


def test_lessons_count_only_when_the_teacher_asks():
    reading = COURSE + "/lesson/6"  # a lesson of text only: it needs its own statement
    publish(outline(CompletionRules(require_lessons=True, require_attendance=False),
                    items=(OutlineItem(LESSON, ItemKind.LESSON), OutlineItem(VIDEO, ItemKind.VIDEO),
                           OutlineItem(reading, ItemKind.LESSON))))
    user = learner()
    record(done(user, VIDEO))  # lesson 5 is done with its only activity
    assert progress.progress_for(user.pk, [COURSE])[COURSE]["percent"] == 66
    record(done(user, reading))
    assert completion.is_completed(learner_id=user.pk, offering_iri=COURSE)


def test_a_package_completes_with_its_required_courses():
    other = BASE + "course/EMB102"
    publish(outline(CompletionRules(require_attendance=False), items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))
    publish(outline(CompletionRules(), iri=other, items=(OutlineItem(other + "/v", ItemKind.VIDEO),)))
    package = BASE + "package/LYQS"
    publish(Outline(offering_iri=package, kind="package", title="陇原巧手", institution_id=None,
                    items=(OutlineItem(COURSE, ItemKind.COURSE), OutlineItem(other, ItemKind.COURSE, required=False))))
    user = learner()
    record(statement(user, VIDEO, "progressed", result={"extensions": {
        "https://w3id.org/xapi/video/extensions/progress": 0.5}}))
    assert progress.progress_for(user.pk, [package])[package]["percent"] == 50
    with Signals(completion_recorded, "completion") as recorded:
        record(done(user, VIDEO))
    assert [c.offering_iri for c in recorded.sent] == [COURSE, package]
    assert progress.progress_for(user.pk, [package])[package]["percent"] == 100


def test_an_outline_without_requirements_never_completes():
    publish(outline(CompletionRules(require_activities=False, require_quiz_pass=False, require_attendance=False),
                    items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))
    user = learner()
    record(done(user, VIDEO))
    assert not completion.is_completed(learner_id=user.pk, offering_iri=COURSE)


def test_a_withdrawn_outline_is_not_evaluated_but_completions_stay():
    publish(outline(CompletionRules(require_attendance=False), items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))
    first, second = learner(), learner()
    record(done(first, VIDEO))
    with committed():
        completion.withdraw_outline(offering_iri=COURSE)
    record(done(second, VIDEO))
    assert completion.is_completed(learner_id=first.pk, offering_iri=COURSE)
    assert not completion.is_completed(learner_id=second.pk, offering_iri=COURSE)

"""Quiz attempts: start, grade, record. The only write path for ``QuizAttempt``.

Every refusal raises ``QuizRefused`` with an HTTP status and a message the learner can act on, and
changes nothing: checks run before any write, and the statements and the graded attempt are stored in
one transaction (``lms.xapi.api.record`` joins it).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.sync_outline import LessonActivity
from lms.progress.data import Verb
from lms.xapi.api import activity_iri
from plugins.builtin import runtime

from .activity import settings_of
from .models import Question, QuizAttempt

FIELD = re.compile(r"^q(\d+)$")
MAX_ANSWER = 500
_random = random.SystemRandom()


class QuizRefused(Exception):
    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Summary:
    used: int
    limit: int
    best_score: float | None
    passed: bool
    open_attempt_id: int | None
    last_submitted_id: int | None

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def summary(*, user, activity_iri: str, limit: int) -> Summary:
    """The learner's attempts on one quiz, in one query."""
    attempts = list(QuizAttempt.objects.filter(learner=user, activity_iri=activity_iri).order_by("number"))
    submitted = [a for a in attempts if a.submitted_at]
    open_attempt = next((a for a in attempts if not a.submitted_at), None)
    return Summary(
        used=len(attempts), limit=limit,
        best_score=max((a.score for a in submitted if a.score is not None), default=None),
        passed=any(a.passed for a in submitted),
        open_attempt_id=open_attempt.pk if open_attempt else None,
        last_submitted_id=submitted[-1].pk if submitted else None,
    )


def start(*, user, activity: LessonActivity) -> QuizAttempt:
    """Continue the open attempt, or draw a new one if the learner has attempts left."""
    values = settings_of(activity.config)
    with transaction.atomic():
        attempts = list(QuizAttempt.objects.select_for_update()
                        .filter(learner=user, activity_iri=activity.iri).order_by("number"))
        open_attempt = next((a for a in attempts if not a.submitted_at), None)
        if open_attempt is not None:
            return open_attempt
        if len(attempts) >= values["attempts"]:
            raise QuizRefused(_("You have used all %(n)d attempts at this quiz.") % {"n": values["attempts"]},
                              status=403)
        pool = list(Question.objects.filter(bank_id=values["bank"]).values_list("pk", flat=True))
        if not pool:
            raise QuizRefused(_("This quiz has no questions yet. Please tell your teacher."), status=409)
        drawn = _random.sample(pool, min(values["draw"], len(pool)))
        try:
            with transaction.atomic():
                attempt = QuizAttempt.objects.create(
                    learner=user, activity_iri=activity.iri, lesson_id=activity.lesson.pk,
                    activity_id=activity.activity_id, number=len(attempts) + 1, question_ids=drawn,
                    started_at=timezone.now(),
                )
        except IntegrityError:  # a double click started it at the same moment
            return QuizAttempt.objects.get(learner=user, activity_iri=activity.iri, number=len(attempts) + 1)
        runtime.record([runtime.statement(user, activity, Verb.ATTEMPTED)])
    return attempt


def questions_of(attempt: QuizAttempt) -> list[Question]:
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")}
    return [by_id[pk] for pk in attempt.question_ids if pk in by_id]


def _normalise(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _parse(questions: dict[int, Question], data) -> dict[int, list[str]]:
    """Answers by question id, refusing anything that is not part of this attempt."""
    answers: dict[int, list[str]] = {}
    for key in data.keys():
        match = FIELD.match(key)
        if not match:
            continue
        qid = int(match.group(1))
        question = questions.get(qid)
        if question is None:
            raise QuizRefused(_("Question %(id)d is not part of this attempt. Reload the quiz and try again.")
                              % {"id": qid}, status=400)
        values = [str(v)[:MAX_ANSWER] for v in data.getlist(key)]
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            valid = {str(c.pk) for c in question.choices.all()}
            if any(v not in valid for v in values):
                raise QuizRefused(_("An answer to question %(id)d is not one of its choices.") % {"id": qid},
                                  status=400)
            if question.kind == Question.Kind.SINGLE and len(values) > 1:
                raise QuizRefused(_("Question %(id)d takes one answer.") % {"id": qid}, status=400)
        elif question.kind == Question.Kind.TRUE_FALSE and any(v not in ("true", "false") for v in values):
            raise QuizRefused(_("Answer question %(id)d with true or false.") % {"id": qid}, status=400)
        answers[qid] = values
    return answers


def is_correct(question: Question, values: list[str]) -> bool:
    if question.kind == Question.Kind.SINGLE or question.kind == Question.Kind.MULTIPLE:
        correct = {str(c.pk) for c in question.choices.all() if c.correct}
        return bool(values) and set(values) == correct
    if question.kind == Question.Kind.TRUE_FALSE:
        return values == ["true" if question.answer_true else "false"]
    accepted = {_normalise(line) for line in question.accepted_answers.splitlines() if line.strip()}
    return len(values) == 1 and _normalise(values[0]) in accepted


def submit(*, user, attempt_id: int, data, activity_for) -> QuizAttempt:
    """Grade an attempt. ``activity_for(attempt)`` resolves its lesson activity (404 if gone)."""
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id).first()
        if attempt is None:
            raise QuizRefused(_("There is no such attempt."), status=404)
        if attempt.learner_id != user.pk:
            raise QuizRefused(_("This attempt belongs to another learner."), status=403)
        if attempt.submitted_at is not None:
            raise QuizRefused(_("This attempt was already submitted; its result is shown below."), status=409)
        activity = activity_for(attempt)
        questions = {q.pk: q for q in questions_of(attempt)}
        answers = _parse(questions, data)
        values = settings_of(activity.config)
        total = sum(q.points for q in questions.values()) or 1
        earned, statements = 0, []
        for qid in attempt.question_ids:
            question = questions.get(qid)
            if question is None:
                continue
            given = answers.get(qid, [])
            right = is_correct(question, given)
            earned += question.points if right else 0
            statements.append(runtime.statement(
                user, activity, Verb.ANSWERED, result={"success": right, "response": "[,]".join(given)},
                object_iri=activity_iri("course", activity.course.code, "lesson", str(activity.lesson.pk),
                                        activity.activity_id, "question", str(qid)),
                object_name=question.text[:200],
            ))
        score = round(100 * earned / total, 1)
        passed = score >= values["pass_mark"]
        statements.append(runtime.statement(
            user, activity, Verb.PASSED if passed else Verb.FAILED,
            result={"score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
                    "success": passed, "completion": True,
                    "duration": runtime.duration((timezone.now() - attempt.started_at).total_seconds())},
        ))
        runtime.record(statements)
        attempt.answers = {str(k): v for k, v in answers.items()}
        attempt.submitted_at, attempt.score, attempt.passed = timezone.now(), score, passed
        attempt.save(update_fields=["answers", "submitted_at", "score", "passed"])
    return attempt

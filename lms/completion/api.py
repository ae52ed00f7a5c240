"""Public interface of completion: outlines in, completions out (contracts 4 and 5).

Evaluation happens the moment progress changes (``evaluate_changes`` is connected to
``lms.progress.signals.activities_changed``); nothing waits for a cron job. Every evaluation also stores
the learner's percentage on the offering in ``lms.progress`` for "My learning". Evaluations run in batches
with a fixed number of queries (``evaluation.py``). Publishing an outline re-evaluates its learners in a
Celery task after commit (``tasks.py``), not inside the publishing request.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from django.db import transaction

from lms.accounts import api as accounts
from lms.enrollment import api as enrollment
from lms.progress import api as progress
from lms.progress.data import Verb
from lms.xapi import api as xapi

from .data import CompletionRecord, Outline, OutlineItem
from .evaluation import Evaluation, as_record, evaluate_changes, evaluate_pairs, rules_of
from .models import Completion, OfferingOutline, OutlineEntry

__all__ = [
    "Evaluation", "completion_by_id", "completions_for", "evaluate", "evaluate_changes", "get_outline",
    "is_completed", "lesson_visit", "publish_outline", "rebuild", "record_lesson_visit", "reevaluate_outline",
    "withdraw_outline",
]

#: Learners evaluated per batch when a whole outline is re-evaluated (bounds the IN lists and memory).
CHUNK = 500


# --- outlines ------------------------------------------------------------------------------------------

def publish_outline(outline: Outline) -> None:
    """Store (or replace) an offering's outline; after commit, a Celery task re-evaluates the learners who
    already have progress on it (``tasks.reevaluate_outline``), so publishing stays fast however many
    learners the course has. Without a broker the task runs in-process right after the commit."""
    with transaction.atomic():
        row, _created = OfferingOutline.objects.update_or_create(
            offering_iri=outline.offering_iri,
            defaults={
                "kind": outline.kind, "title": outline.title[:255], "url": outline.url[:512],
                "institution_id": outline.institution_id, "credits": outline.credits,
                "class_hours": outline.class_hours, "skill_certificate_codes": list(outline.skill_certificate_codes),
                "require_lessons": outline.rules.require_lessons,
                "require_activities": outline.rules.require_activities,
                "require_quiz_pass": outline.rules.require_quiz_pass,
                "require_attendance": outline.rules.require_attendance,
                "min_hours": outline.rules.min_hours, "withdrawn": False,
            },
        )
        row.entries.all().delete()
        OutlineEntry.objects.bulk_create([
            OutlineEntry(outline=row, iri=item.iri, kind=item.kind, title=item.title[:255],
                         required=item.required, position=i)
            for i, item in enumerate(outline.items)
        ])
        offering_iri = outline.offering_iri
        transaction.on_commit(lambda: _schedule_reevaluation(offering_iri))


def _schedule_reevaluation(offering_iri: str) -> None:
    from .tasks import reevaluate_outline as task

    task.delay(offering_iri)


def reevaluate_outline(offering_iri: str) -> int:
    """Evaluate every learner with progress on the outline's items or a completion of it; returns how many."""
    row = OfferingOutline.objects.filter(offering_iri=offering_iri, withdrawn=False).first()
    if row is None:
        return 0
    iris = list(row.entries.values_list("iri", flat=True))
    learners = sorted(progress.learners_with_activity(iris) | _learners_with_completion(iris + [offering_iri]))
    for start in range(0, len(learners), CHUNK):
        evaluate_pairs((learner_id, offering_iri) for learner_id in learners[start:start + CHUNK])
    return len(learners)


@transaction.atomic
def withdraw_outline(*, offering_iri: str) -> None:
    """An unpublished offering is no longer evaluated; completions already earned stay."""
    OfferingOutline.objects.filter(offering_iri=offering_iri).update(withdrawn=True)


def get_outline(offering_iri: str) -> Outline | None:
    row = OfferingOutline.objects.filter(offering_iri=offering_iri).first()
    if row is None:
        return None
    entries = row.entries.all()
    return Outline(
        offering_iri=row.offering_iri, kind=row.kind, title=row.title, institution_id=row.institution_id,
        credits=row.credits, class_hours=row.class_hours, url=row.url,
        skill_certificate_codes=tuple(row.skill_certificate_codes),
        items=tuple(OutlineItem(iri=e.iri, kind=e.kind, title=e.title, required=e.required) for e in entries),
        rules=rules_of(row),
    )


def _learners_with_completion(offering_iris: Iterable[str]) -> set[int]:
    return set(
        Completion.objects.filter(offering_iri__in=list(offering_iris)).values_list("learner_id", flat=True)
    )


def evaluate(*, learner_id: int, offering_iri: str) -> Evaluation:
    """Evaluate one learner against one offering's rules; record or revoke the completion if it changed."""
    found = evaluate_pairs([(learner_id, offering_iri)])
    return found.get((learner_id, offering_iri), Evaluation(percent=0, satisfied=False, changed=False))


# --- lesson visits -------------------------------------------------------------------------------------

#: Visit statement ids are derived from (learner, lesson), so a visit is stored once even when two reloads race.
VISIT_NAMESPACE = uuid.UUID("5b0f7f3e-8a53-4f0e-9c4d-2f9d6c1e7a10")
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"


def record_lesson_visit(user, *, lesson_iri: str, offering_iri: str, title: str = "", url: str = "") -> bool:
    """Record once that an enrolled learner opened a lesson (xAPI ``experienced``); True if recorded now."""
    return lesson_visit(user, lesson_iri=lesson_iri, offering_iri=offering_iri, title=title, url=url) == "recorded"


def lesson_visit(user, *, lesson_iri: str, offering_iri: str, title: str = "", url: str = "") -> str:
    """Record once that an enrolled learner opened a lesson (xAPI ``experienced``) and say where they stand:
    ``"recorded"`` now, ``"visited"`` before, ``"not_enrolled"``, or ``"anonymous"``.

    Called by the lesson page on every view, so the common case is cheap: one query when the visit is
    already projected, two for a learner who is not enrolled (nothing is recorded for them). The
    statement has no timestamp and an id derived from (learner, lesson): if two first views race, the LRS
    stores it once (the same statement again is not a new one) and progress projects it once.
    """
    if user is None or not user.is_authenticated:
        return "anonymous"
    if progress.states_for(user.pk, [lesson_iri]):
        return "visited"
    if not enrollment.is_enrolled(user, offering_iri):
        return "not_enrolled"
    body = {
        "id": str(uuid.uuid5(VISIT_NAMESPACE, f"{user.pk} {lesson_iri}")),
        "actor": accounts.xapi_agent(user),
        "verb": {"id": Verb.EXPERIENCED, "display": {"en-US": "experienced"}},
        "object": {"objectType": "Activity", "id": lesson_iri, "definition": {
            "type": LESSON_TYPE, "name": {"zh-CN": title or lesson_iri}, **({"moreInfo": url} if url else {})}},
        "context": {"contextActivities": {"grouping": [{"objectType": "Activity", "id": offering_iri}]}},
    }
    try:
        xapi.record([body])
    except xapi.StatementRejected:
        # The id is taken by this visit recorded earlier (e.g. since voided, or under the learner's old name).
        return "visited"
    return "recorded"


# --- reading -------------------------------------------------------------------------------------------

def completions_for(user_id: int) -> list[CompletionRecord]:
    """The learner's standing completions, newest first."""
    rows = Completion.objects.filter(learner_id=user_id, revoked_at__isnull=True).order_by("-completed_at", "-pk")
    return [as_record(row) for row in rows]


def iter_completions(chunk: int = 2000) -> Iterator[CompletionRecord]:
    """Every standing (not revoked) completion, streamed (for rebuilding the dashboards' counts)."""
    rows = Completion.objects.filter(revoked_at__isnull=True).order_by("pk")
    return (as_record(row) for row in rows.iterator(chunk_size=chunk))


def completion_by_id(completion_id: int) -> CompletionRecord | None:
    row = Completion.objects.filter(pk=completion_id).first()
    return as_record(row) if row else None


def is_completed(*, learner_id: int, offering_iri: str) -> bool:
    return Completion.objects.filter(
        learner_id=learner_id, offering_iri=offering_iri, revoked_at__isnull=True
    ).exists()


def rebuild(statements: Iterable[dict]) -> dict[str, int]:
    """Rebuild progress from ``statements`` and re-evaluate every learner on every outline.

    Courses are evaluated before packages so a package sees its courses' fresh completions.
    """
    count = progress.rebuild(statements)
    evaluated = 0
    for kind_order in ("course", "package"):
        for offering_iri in (OfferingOutline.objects.filter(withdrawn=False, kind=kind_order).order_by("pk")
                             .values_list("offering_iri", flat=True)):
            evaluated += reevaluate_outline(offering_iri)
    return {"statements": count, "evaluations": evaluated}

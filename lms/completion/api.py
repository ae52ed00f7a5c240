"""Public interface of completion: outlines in, completions out (contracts 4 and 5).

Evaluation happens the moment progress changes (``evaluate_changes`` is connected to
``lms.progress.signals.activities_changed``); nothing waits for a cron job. Every evaluation also stores
the learner's percentage on the offering in ``lms.progress`` for "My learning".
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.progress import api as progress

from .data import CompletionRecord, CompletionRules, ItemKind, Outline, OutlineItem
from .models import Completion, OfferingOutline, OutlineEntry
from .signals import completion_recorded, completion_revoked

__all__ = [
    "Evaluation", "completion_by_id", "completions_for", "evaluate", "evaluate_changes", "get_outline",
    "publish_outline", "rebuild", "withdraw_outline",
]


@dataclass(frozen=True)
class Evaluation:
    percent: int
    satisfied: bool
    changed: bool  # a completion was recorded or revoked by this evaluation


# --- outlines ------------------------------------------------------------------------------------------

def publish_outline(outline: Outline) -> None:
    """Store (or replace) an offering's outline and re-evaluate the learners who already have progress."""
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
    iris = [item.iri for item in outline.items]
    learners = progress.learners_with_activity(iris) | _learners_with_completion(iris + [outline.offering_iri])
    for learner_id in sorted(learners):
        evaluate(learner_id=learner_id, offering_iri=outline.offering_iri)


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
        rules=_rules(row),
    )


def _rules(row: OfferingOutline) -> CompletionRules:
    return CompletionRules(
        require_lessons=row.require_lessons, require_activities=row.require_activities,
        require_quiz_pass=row.require_quiz_pass, require_attendance=row.require_attendance,
        min_hours=row.min_hours,
    )


def _learners_with_completion(offering_iris: Iterable[str]) -> set[int]:
    return set(
        Completion.objects.filter(offering_iri__in=list(offering_iris)).values_list("learner_id", flat=True)
    )


# --- evaluation ----------------------------------------------------------------------------------------

def _counts(entry: OutlineEntry, rules: CompletionRules) -> bool:
    """Whether the rules make this item a condition of completion."""
    if not entry.required:
        return False
    return {
        ItemKind.LESSON: rules.require_lessons,
        ItemKind.QUIZ: rules.require_activities or rules.require_quiz_pass,
        ItemKind.ATTENDANCE: rules.require_attendance,
        ItemKind.COURSE: True,
    }.get(entry.kind, rules.require_activities)


def _done(entry: OutlineEntry, rules: CompletionRules, state, done_iris: set[str]) -> bool:
    """Whether the learner has done ``entry``; ``done_iris`` holds completed courses and derived lessons."""
    if entry.iri in done_iris or entry.kind == ItemKind.COURSE:
        return entry.iri in done_iris
    if state is None:
        return False
    if entry.kind == ItemKind.QUIZ and rules.require_quiz_pass:
        return state.passed is True
    if entry.kind == ItemKind.ATTENDANCE:
        return state.attended
    return state.completed


PARTIAL_KINDS = {ItemKind.VIDEO, ItemKind.DOCUMENT, ItemKind.LESSON}


@dataclass(frozen=True)
class _Assessment:
    percent: int
    satisfied: bool
    last_url: str
    activity_iris: list[str]
    course_iris: list[str]


def _assess(learner_id: int, row: OfferingOutline) -> _Assessment:
    """Where the learner stands against the offering's rules, from committed progress."""
    rules = _rules(row)
    entries = list(row.entries.all())
    activity_iris = [e.iri for e in entries if e.kind != ItemKind.COURSE]
    states = progress.states_for(learner_id, activity_iris)
    course_iris = [e.iri for e in entries if e.kind == ItemKind.COURSE]
    completed_courses = set(
        Completion.objects.filter(learner_id=learner_id, offering_iri__in=course_iris, revoked_at__isnull=True)
        .values_list("offering_iri", flat=True)
    ) if course_iris else set()

    # A lesson whose activities are all done counts as visited even without its own "experienced" statement.
    for lesson in (e for e in entries if e.kind == ItemKind.LESSON):
        inside = [e for e in entries if e.iri.startswith(lesson.iri + "/")]
        if inside and all(_done(e, rules, states.get(e.iri), completed_courses) for e in inside):
            completed_courses.add(lesson.iri)

    counted = [e for e in entries if _counts(e, rules)]
    done = sum(1 for e in counted if _done(e, rules, states.get(e.iri), completed_courses))
    needed_seconds = float(rules.min_hours) * 3600
    seconds = sum(state.seconds for state in states.values())
    parts, progress_sum = len(counted), float(done)
    # A half-watched video counts for half (a failed quiz counts for nothing: it is not half passed).
    progress_sum += sum(
        states[e.iri].percent / 100 for e in counted
        if e.kind in PARTIAL_KINDS and e.iri in states and not _done(e, rules, states[e.iri], completed_courses)
    )
    if needed_seconds > 0:
        parts += 1
        progress_sum += min(1.0, seconds / needed_seconds)
    satisfied = parts > 0 and done == len(counted) and seconds >= needed_seconds
    _last_at, last_url = progress.last_seen(states.values())
    if course_iris:
        # A package shows the average progress of its courses, not only the finished ones.
        course_progress = progress.progress_for(learner_id, course_iris)
        progress_sum = sum(
            1.0 if e.iri in completed_courses else course_progress[e.iri]["percent"] / 100
            for e in counted if e.kind == ItemKind.COURSE
        ) + sum(1.0 for e in counted if e.kind != ItemKind.COURSE and _done(e, rules, states.get(e.iri), set()))
        last_url = last_url or next((v["last_activity_url"] for v in course_progress.values()
                                     if v["last_activity_url"]), "") or ""
    percent = 100 if satisfied else min(99, int(100 * progress_sum / parts)) if parts else 0
    return _Assessment(percent, satisfied, last_url, activity_iris, course_iris)


def evaluate(*, learner_id: int, offering_iri: str) -> Evaluation:
    """Evaluate one learner against one offering's rules; record or revoke the completion if it changed."""
    row = OfferingOutline.objects.filter(offering_iri=offering_iri, withdrawn=False).first()
    if row is None:
        return Evaluation(percent=0, satisfied=False, changed=False)
    assessment = _assess(learner_id, row)
    progress.set_offering_progress(
        learner_id=learner_id, offering_iri=offering_iri, percent=assessment.percent,
        last_url=assessment.last_url or row.url,
    )
    changed = _settle(learner_id, row, assessment)
    return Evaluation(percent=assessment.percent, satisfied=assessment.satisfied, changed=changed)


def _settle(learner_id: int, row: OfferingOutline, assessment: _Assessment) -> bool:
    """Record or revoke, exactly once, under a row lock; signals go out after commit.

    A decision to change anything is re-assessed after the lock is taken: an evaluation that read
    progress before a concurrent one committed must not revoke what the other just recorded.
    """
    with transaction.atomic():
        existing = Completion.objects.select_for_update().filter(
            learner_id=learner_id, offering_iri=row.offering_iri
        ).first()
        standing = existing is not None and existing.revoked_at is None
        if assessment.satisfied == standing:
            return False
        assessment = _assess(learner_id, row)
        if assessment.satisfied and not standing:
            statement_ids = progress.evidence_for(learner_id, assessment.activity_iris)
            for member in Completion.objects.filter(learner_id=learner_id, offering_iri__in=assessment.course_iris,
                                                    revoked_at__isnull=True).order_by("pk"):
                statement_ids += member.statement_ids
            fields = {
                "kind": row.kind, "title": row.title, "institution_id": row.institution_id,
                "credits": row.credits, "class_hours": row.class_hours,
                "skill_certificate_codes": row.skill_certificate_codes, "statement_ids": statement_ids,
                "completed_at": timezone.now(), "revoked_at": None,
            }
            if existing is None:
                try:
                    with transaction.atomic():
                        existing = Completion.objects.create(learner_id=learner_id, offering_iri=row.offering_iri,
                                                             **fields)
                except IntegrityError:
                    return False  # a concurrent evaluation recorded it first; it sends the signal
            else:
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.save()
            record = _record(existing)
            transaction.on_commit(lambda: completion_recorded.send(sender=Completion, completion=record))
            return True
        if not assessment.satisfied and standing:
            existing.revoked_at = timezone.now()
            existing.save(update_fields=["revoked_at"])
            record = _record(existing)
            transaction.on_commit(lambda: completion_revoked.send(sender=Completion, completion=record))
            return True
    return False


def evaluate_changes(changes: Iterable[tuple[int, str]]) -> None:
    """Re-evaluate every offering containing a changed activity, then packages containing changed courses."""
    by_learner: dict[int, set[str]] = defaultdict(set)
    for learner_id, iri in changes:
        by_learner[learner_id].add(iri)
    for learner_id, iris in by_learner.items():
        _evaluate_containing(learner_id, iris, depth=0)


def _evaluate_containing(learner_id: int, iris: set[str], *, depth: int) -> None:
    offerings = set(
        OutlineEntry.objects.filter(iri__in=list(iris), outline__withdrawn=False)
        .values_list("outline__offering_iri", flat=True)
    )
    for offering_iri in sorted(offerings):
        evaluate(learner_id=learner_id, offering_iri=offering_iri)
    # A course's percentage feeds its packages even before it completes; depth bounds package nesting.
    if offerings and depth < 3:
        _evaluate_containing(learner_id, offerings, depth=depth + 1)


# --- reading -------------------------------------------------------------------------------------------

def _record(row: Completion) -> CompletionRecord:
    return CompletionRecord(
        id=row.pk, learner_id=row.learner_id, offering_iri=row.offering_iri, kind=row.kind, title=row.title,
        institution_id=row.institution_id, completed_at=row.completed_at, credits=Decimal(row.credits),
        class_hours=row.class_hours, skill_certificate_codes=tuple(row.skill_certificate_codes),
        statement_ids=tuple(row.statement_ids),
    )


def completions_for(user_id: int) -> list[CompletionRecord]:
    """The learner's standing completions, newest first."""
    rows = Completion.objects.filter(learner_id=user_id, revoked_at__isnull=True).order_by("-completed_at", "-pk")
    return [_record(row) for row in rows]


def iter_completions(chunk: int = 2000) -> Iterator[CompletionRecord]:
    """Every standing (not revoked) completion, streamed (for rebuilding the dashboards' counts)."""
    rows = Completion.objects.filter(revoked_at__isnull=True).order_by("pk")
    return (_record(row) for row in rows.iterator(chunk_size=chunk))


def completion_by_id(completion_id: int) -> CompletionRecord | None:
    row = Completion.objects.filter(pk=completion_id).first()
    return _record(row) if row else None


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
        for row in OfferingOutline.objects.filter(withdrawn=False, kind=kind_order).order_by("pk"):
            iris = list(row.entries.values_list("iri", flat=True))
            learners = progress.learners_with_activity(iris) | _learners_with_completion(iris + [row.offering_iri])
            for learner_id in sorted(learners):
                evaluate(learner_id=learner_id, offering_iri=row.offering_iri)
                evaluated += 1
    return {"statements": count, "evaluations": evaluated}

"""Evaluating learners against outlines, in batches (used through ``api``).

A batch of (learner, offering) pairs is evaluated with a fixed number of queries however many pairs it
holds: the outlines and their entries, the learners' activity states, their completions and their
offering percentages are each read once; the percentages are written in one upsert. Only a pair whose
completion must be recorded or revoked costs more — ``_settle`` takes that decision again under a row lock
on fresh data, so concurrent duplicate events still complete an offering exactly once.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.progress import api as progress

from .data import CompletionRecord, CompletionRules, ItemKind
from .models import Completion, OfferingOutline, OutlineEntry
from .signals import completion_recorded, completion_revoked

Pair = tuple[int, str]  # (learner id, offering IRI)
PARTIAL_KINDS = {ItemKind.VIDEO, ItemKind.DOCUMENT, ItemKind.LESSON}
PACKAGE_DEPTH = 3  # packages of packages are bounded; courses → packages → ... at most this deep


@dataclass(frozen=True)
class Evaluation:
    percent: int
    satisfied: bool
    changed: bool  # a completion was recorded or revoked by this evaluation


def rules_of(row: OfferingOutline) -> CompletionRules:
    return CompletionRules(
        require_lessons=row.require_lessons, require_activities=row.require_activities,
        require_quiz_pass=row.require_quiz_pass, require_attendance=row.require_attendance,
        min_hours=row.min_hours,
    )


@dataclass
class _Outline:
    """An outline with its entries, read once per batch."""

    row: OfferingOutline
    rules: CompletionRules
    entries: list[OutlineEntry]
    activity_iris: list[str] = field(init=False)
    course_iris: list[str] = field(init=False)
    lessons: list[tuple[OutlineEntry, list[OutlineEntry]]] = field(init=False)

    def __post_init__(self):
        self.activity_iris = [e.iri for e in self.entries if e.kind != ItemKind.COURSE]
        self.course_iris = [e.iri for e in self.entries if e.kind == ItemKind.COURSE]
        self.lessons = [(lesson, [e for e in self.entries if e.iri.startswith(lesson.iri + "/")])
                        for lesson in self.entries if lesson.kind == ItemKind.LESSON]


@dataclass
class _Facts:
    """What a batch reads about its learners, each kind in one query."""

    states: dict[Pair, object]
    completions: dict[Pair, Completion]  # revoked ones too: a revoked row is restored, not duplicated
    offering_progress: dict[Pair, dict]


def _load_outlines(offering_iris: Iterable[str]) -> dict[str, _Outline]:
    rows = OfferingOutline.objects.filter(offering_iri__in=sorted(set(offering_iris)), withdrawn=False)
    return {row.offering_iri: _Outline(row, rules_of(row), list(row.entries.all()))
            for row in rows.prefetch_related("entries")}


def _load_facts(learner_ids: set[int], outlines: Iterable[_Outline]) -> _Facts:
    outlines = list(outlines)
    activity_iris = {iri for o in outlines for iri in o.activity_iris}
    offering_iris = {iri for o in outlines for iri in o.course_iris} | {o.row.offering_iri for o in outlines}
    completions = Completion.objects.filter(learner_id__in=sorted(learner_ids), offering_iri__in=sorted(offering_iris))
    return _Facts(
        states=progress.states_for_learners(learner_ids, activity_iris),
        completions={(c.learner_id, c.offering_iri): c for c in completions},
        offering_progress=progress.offering_progress_for(learner_ids, {i for o in outlines for i in o.course_iris}),
    )


# --- the rules -----------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class _Assessment:
    percent: int
    satisfied: bool
    last_url: str
    activity_iris: list[str]
    course_iris: list[str]


def _assess(learner_id: int, outline: _Outline, facts: _Facts) -> _Assessment:
    """Where the learner stands against the offering's rules, from the batch's facts (no queries)."""
    rules, entries = outline.rules, outline.entries
    states = {iri: facts.states[(learner_id, iri)] for iri in outline.activity_iris
              if (learner_id, iri) in facts.states}
    done_iris = {iri for iri in outline.course_iris if (learner_id, iri) in facts.completions
                 and facts.completions[(learner_id, iri)].revoked_at is None}

    # A lesson whose activities are all done counts as visited even without its own "experienced" statement;
    # a lesson with nothing to do but read (text only) counts as visited once the learner has opened it.
    for lesson, inside in outline.lessons:
        if inside and all(_done(e, rules, states.get(e.iri), done_iris) for e in inside):
            done_iris.add(lesson.iri)
        elif not inside and lesson.iri in states:
            done_iris.add(lesson.iri)

    counted = [e for e in entries if _counts(e, rules)]
    done = sum(1 for e in counted if _done(e, rules, states.get(e.iri), done_iris))
    needed_seconds = float(rules.min_hours) * 3600
    seconds = sum(state.seconds for state in states.values())
    parts, progress_sum = len(counted), float(done)
    # A half-watched video counts for half (a failed quiz counts for nothing: it is not half passed).
    progress_sum += sum(
        states[e.iri].percent / 100 for e in counted
        if e.kind in PARTIAL_KINDS and e.iri in states and not _done(e, rules, states[e.iri], done_iris)
    )
    if needed_seconds > 0:
        parts += 1
        progress_sum += min(1.0, seconds / needed_seconds)
    satisfied = parts > 0 and done == len(counted) and seconds >= needed_seconds
    _last_at, last_url = progress.last_seen(states.values())
    if outline.course_iris:
        # A package shows the average progress of its courses, not only the finished ones.
        course_progress = {iri: facts.offering_progress.get((learner_id, iri)) or {"percent": 0,
                                                                                   "last_activity_url": None}
                           for iri in outline.course_iris}
        progress_sum = sum(
            1.0 if e.iri in done_iris else course_progress[e.iri]["percent"] / 100
            for e in counted if e.kind == ItemKind.COURSE
        ) + sum(1.0 for e in counted if e.kind != ItemKind.COURSE and _done(e, rules, states.get(e.iri), set()))
        last_url = last_url or next((v["last_activity_url"] for v in course_progress.values()
                                     if v["last_activity_url"]), "") or ""
    percent = 100 if satisfied else min(99, int(100 * progress_sum / parts)) if parts else 0
    return _Assessment(percent, satisfied, last_url, outline.activity_iris, outline.course_iris)


# --- batches -------------------------------------------------------------------------------------------

def evaluate_pairs(pairs: Iterable[Pair]) -> dict[Pair, Evaluation]:
    """Evaluate each (learner, offering) pair; record or revoke completions that changed.

    Courses are evaluated before packages, so a package sees its courses' fresh completions and
    percentages. Pairs whose offering has no live outline are left out of the answer.
    """
    pairs = set(pairs)
    outlines = _load_outlines(iri for _learner, iri in pairs)
    results: dict[Pair, Evaluation] = {}
    for kind in ("course", "package"):
        batch = sorted(p for p in pairs if p[1] in outlines and outlines[p[1]].row.kind == kind)
        if batch:
            results.update(_evaluate_batch(batch, outlines))
    return results


def _evaluate_batch(batch: list[Pair], outlines: dict[str, _Outline]) -> dict[Pair, Evaluation]:
    facts = _load_facts({learner_id for learner_id, _iri in batch}, (outlines[iri] for _l, iri in batch))
    assessed = {(learner_id, iri): _assess(learner_id, outlines[iri], facts) for learner_id, iri in batch}
    progress.set_offering_progress_many(
        (learner_id, iri, a.percent, a.last_url or outlines[iri].row.url) for (learner_id, iri), a in assessed.items()
    )
    results = {}
    for (learner_id, iri), assessment in assessed.items():
        existing = facts.completions.get((learner_id, iri))
        standing = existing is not None and existing.revoked_at is None
        changed = assessment.satisfied != standing and _settle(learner_id, outlines[iri], assessment)
        results[(learner_id, iri)] = Evaluation(percent=assessment.percent, satisfied=assessment.satisfied,
                                                changed=changed)
    return results


def evaluate_changes(changes: Iterable[tuple[int, str]]) -> None:
    """Re-evaluate every offering containing a changed activity, then the packages containing those.

    One round of queries per level (activities → courses → packages), not per learner or statement.
    """
    pending: set[tuple[int, str]] = set(changes)
    for _depth in range(PACKAGE_DEPTH + 1):
        iris = sorted({iri for _learner, iri in pending})
        containing: dict[str, set[str]] = defaultdict(set)
        for iri, offering_iri in (OutlineEntry.objects.filter(iri__in=iris, outline__withdrawn=False)
                                  .values_list("iri", "outline__offering_iri")):
            containing[iri].add(offering_iri)
        pending = {(learner_id, offering) for learner_id, iri in pending for offering in containing.get(iri, ())}
        if not pending:
            return
        # A course's percentage feeds its packages even before it completes: the next round evaluates them.
        evaluate_pairs(pending)


# --- recording, exactly once ---------------------------------------------------------------------------

def _settle(learner_id: int, outline: _Outline, assessment: _Assessment) -> bool:
    """Record or revoke, exactly once, under a row lock; signals go out after commit.

    The decision is taken again after the lock is taken, on freshly read facts: an evaluation that read
    progress before a concurrent one committed must not revoke what the other just recorded.
    """
    row = outline.row
    with transaction.atomic():
        existing = Completion.objects.select_for_update().filter(
            learner_id=learner_id, offering_iri=row.offering_iri
        ).first()
        standing = existing is not None and existing.revoked_at is None
        if assessment.satisfied == standing:
            return False
        assessment = _assess(learner_id, outline, _load_facts({learner_id}, [outline]))
        if assessment.satisfied and not standing:
            return _record_completion(learner_id, row, assessment, existing)
        if not assessment.satisfied and standing:
            existing.revoked_at = timezone.now()
            existing.save(update_fields=["revoked_at"])
            record = as_record(existing)
            transaction.on_commit(lambda: completion_revoked.send(sender=Completion, completion=record))
            return True
    return False


def _record_completion(learner_id: int, row: OfferingOutline, assessment: _Assessment, existing) -> bool:
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
                existing = Completion.objects.create(learner_id=learner_id, offering_iri=row.offering_iri, **fields)
        except IntegrityError:
            return False  # a concurrent evaluation recorded it first; it sends the signal
    else:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
    record = as_record(existing)
    transaction.on_commit(lambda: completion_recorded.send(sender=Completion, completion=record))
    return True


def as_record(row: Completion) -> CompletionRecord:
    return CompletionRecord(
        id=row.pk, learner_id=row.learner_id, offering_iri=row.offering_iri, kind=row.kind, title=row.title,
        institution_id=row.institution_id, completed_at=row.completed_at, credits=Decimal(row.credits),
        class_hours=row.class_hours, skill_certificate_codes=tuple(row.skill_certificate_codes),
        statement_ids=tuple(row.statement_ids),
    )

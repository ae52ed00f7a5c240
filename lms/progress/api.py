"""Public interface of the progress projection.

``project(statements)`` is the only write path for activity state; it is called with the statements the
LRS just committed (``lms.xapi.signals.statements_recorded``) and by ``rebuild``. It is idempotent: a
statement it has already seen changes nothing, so duplicate signals are harmless.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from .data import ActivityProgress, Verb
from .models import ActivityEvent, ActivityState, OfferingProgress
from .projection import Change, parse_duration, project_statements
from .signals import activities_changed

__all__ = [
    "evidence_for", "last_seen", "learners_with_activity", "offering_progress_for", "parse_duration", "progress_for",
    "project", "rebuild", "set_offering_progress", "set_offering_progress_many", "states_for", "states_for_learners",
]


def project(statements: list[dict]) -> set[Change]:
    """Fold committed statements into activity state; returns the (learner id, activity IRI) pairs changed.

    After commit, sends ``signals.activities_changed`` so completion is evaluated at once.
    """
    with transaction.atomic():
        changes = project_statements(statements)
        if changes:
            transaction.on_commit(lambda: activities_changed.send(sender=ActivityState, changes=changes))
    return changes


def rebuild(statements: Iterable[dict], *, batch_size: int = 1000) -> int:
    """Forget every event and state and project ``statements`` afresh (no signals). Returns the count."""
    count, batch = 0, []
    with transaction.atomic():
        ActivityEvent.objects.all().delete()
        ActivityState.objects.all().delete()
        for statement in statements:
            batch.append(statement)
            if len(batch) >= batch_size:
                project_statements(batch)
                count, batch = count + len(batch), []
        project_statements(batch)
        count += len(batch)
    return count


def states_for(learner_id: int, activity_iris: Iterable[str]) -> dict[str, ActivityProgress]:
    """The learner's state on each activity that has one (one query)."""
    rows = ActivityState.objects.filter(learner_id=learner_id, activity_iri__in=list(activity_iris))
    return {row.activity_iri: _as_data(row) for row in rows}


def states_for_learners(learner_ids: Iterable[int], activity_iris: Iterable[str]) -> dict[Change, ActivityProgress]:
    """``{(learner id, activity IRI): state}`` for many learners at once (one query), for batched evaluation."""
    learner_ids, activity_iris = sorted(set(learner_ids)), sorted(set(activity_iris))
    if not learner_ids or not activity_iris:
        return {}
    rows = ActivityState.objects.filter(learner_id__in=learner_ids, activity_iri__in=activity_iris)
    return {(row.learner_id, row.activity_iri): _as_data(row) for row in rows}


def _as_data(row: ActivityState) -> ActivityProgress:
    return ActivityProgress(
        activity_iri=row.activity_iri, completed=row.completed, passed=row.passed, best_score=row.best_score,
        attempts=row.attempts, seconds=row.seconds, position=row.position, percent=row.percent,
        attended=row.attended, last_at=row.last_at, last_url=row.last_url,
    )


def evidence_for(learner_id: int, activity_iris: Iterable[str]) -> list[str]:
    """Ids of the learner's non-voided statements that completed, passed or attended these activities."""
    rows = ActivityEvent.objects.filter(
        Q(verb__in=[Verb.COMPLETED, Verb.PASSED, Verb.ATTENDED]) | Q(completion=True) | Q(success=True),
        learner_id=learner_id, activity_iri__in=list(activity_iris), voided=False,
    ).order_by("timestamp", "id")
    return [str(statement_id) for statement_id in rows.values_list("statement_id", flat=True)]


def learners_with_activity(activity_iris: Iterable[str]) -> set[int]:
    return set(
        ActivityState.objects.filter(activity_iri__in=list(activity_iris)).values_list("learner_id", flat=True)
    )


@transaction.atomic
def set_offering_progress(*, learner_id: int, offering_iri: str, percent: int, last_url: str = "") -> None:
    """Record the percentage ``lms.completion`` computed for a learner on an offering."""
    OfferingProgress.objects.update_or_create(
        learner_id=learner_id, offering_iri=offering_iri,
        defaults={"percent": max(0, min(100, int(percent))), "last_url": last_url[:512]},
    )


def set_offering_progress_many(rows: Iterable[tuple[int, str, int, str]]) -> None:
    """``set_offering_progress`` for many ``(learner id, offering IRI, percent, last URL)`` rows in one query."""
    objects = [
        OfferingProgress(learner_id=learner_id, offering_iri=offering_iri, percent=max(0, min(100, int(percent))),
                         last_url=(last_url or "")[:512])
        for learner_id, offering_iri, percent, last_url in rows
    ]
    if objects:
        OfferingProgress.objects.bulk_create(
            objects, update_conflicts=True, unique_fields=["learner", "offering_iri"],
            update_fields=["percent", "last_url", "updated_at"],
        )


def offering_progress_for(learner_ids: Iterable[int], offering_iris: Iterable[str]) -> dict[Change, dict]:
    """``progress_for`` for many learners at once: ``{(learner id, offering IRI): {...}}`` for started ones."""
    learner_ids, offering_iris = sorted(set(learner_ids)), sorted(set(offering_iris))
    if not learner_ids or not offering_iris:
        return {}
    rows = OfferingProgress.objects.filter(learner_id__in=learner_ids, offering_iri__in=offering_iris)
    return {(row.learner_id, row.offering_iri): {"percent": row.percent, "last_activity_url": row.last_url or None}
            for row in rows}


def progress_for(user_id: int, offering_iris: Iterable[str]) -> dict[str, dict]:
    """For "My learning": ``{offering_iri: {"percent": int, "last_activity_url": str | None}}`` in one query.

    Offerings the learner has not started are present with 0 percent.
    """
    iris = list(offering_iris)
    found = {
        row.offering_iri: {"percent": row.percent, "last_activity_url": row.last_url or None}
        for row in OfferingProgress.objects.filter(learner_id=user_id, offering_iri__in=iris)
    }
    return {iri: found.get(iri, {"percent": 0, "last_activity_url": None}) for iri in iris}


def last_seen(states: Iterable[ActivityProgress]) -> tuple[datetime | None, str]:
    """The most recent (time, URL) among ``states`` — the "continue where you left off" link."""
    latest = max((s for s in states if s.last_at), key=lambda s: s.last_at, default=None)
    return (latest.last_at, latest.last_url) if latest else (None, "")

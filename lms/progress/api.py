"""Public interface of the progress projection.

``project(statements)`` is the only write path for activity state; it is called with the statements the
LRS just committed (``lms.xapi.signals.statements_recorded``) and by ``rebuild``. It is idempotent: a
statement it has already seen changes nothing, so duplicate signals are harmless.
"""
from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import bulk
from .data import VIDEO_PROGRESS, VIDEO_TIME, ActivityProgress, Verb
from .models import ActivityEvent, ActivityState, OfferingProgress
from .signals import activities_changed

__all__ = [
    "evidence_for", "last_seen", "learners_with_activity", "offering_progress_for", "parse_duration", "progress_for",
    "project", "rebuild", "set_offering_progress", "set_offering_progress_many", "states_for", "states_for_learners",
]

Change = tuple[int, str]
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(value: str | None) -> float:
    """Seconds in an ISO 8601 duration such as ``PT1M30.5S``; 0 for anything else."""
    match = _DURATION.match(value or "")
    if not match:
        return 0.0
    parts = {k: float(v) for k, v in match.groupdict(default="0").items()}
    return parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]


def _learner_id(actor: dict) -> int | None:
    """The platform user an Agent stands for, without a query (see ``lms.accounts.api.xapi_agent``)."""
    account = (actor or {}).get("account") or {}
    name = str(account.get("name", ""))
    if account.get("homePage") != settings.XAPI_ACCOUNT_HOMEPAGE or not name.isdigit():
        return None
    return int(name)


def _event(statement: dict) -> ActivityEvent | None:
    learner_id = _learner_id(statement.get("actor"))
    target = statement.get("object") or {}
    if learner_id is None or target.get("objectType", "Activity") != "Activity" or not target.get("id"):
        return None
    result = statement.get("result") or {}
    extensions = result.get("extensions") or {}
    score = (result.get("score") or {}).get("scaled")
    moment = parse_datetime(statement.get("timestamp") or statement.get("stored") or "") or timezone.now()
    return ActivityEvent(
        statement_id=uuid.UUID(statement["id"]), learner_id=learner_id, activity_iri=target["id"][:512],
        verb=statement["verb"]["id"][:255], completion=result.get("completion"), success=result.get("success"),
        score=float(score) if score is not None else None, seconds=parse_duration(result.get("duration")),
        position=_float(extensions.get(VIDEO_TIME)), progress=_float(extensions.get(VIDEO_PROGRESS)),
        more_info=str(((target.get("definition") or {}).get("moreInfo")) or "")[:512], timestamp=moment,
    )


def _float(value) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _fold(learner_id: int, activity_iri: str, events: list[ActivityEvent],
          start: ActivityState | None = None) -> ActivityState:
    """The state a learner's events on one activity add up to (events in timestamp order).

    ``start`` is the state of the events before these ones: folding the new events onto it gives exactly
    what folding them all would (every field is a running sum, count, maximum, latest value or sticky flag,
    and the percentage of progress floors monotonically), without reading the history again.
    """
    state = ActivityState(learner_id=learner_id, activity_iri=activity_iri)
    floor = 0
    if start is not None:
        for name in ("completed", "passed", "best_score", "attempts", "seconds", "position", "attended",
                     "last_at", "last_url"):
            setattr(state, name, getattr(start, name))
        floor = start.percent
    progress = 0.0
    for event in events:
        state.seconds += event.seconds
        if event.verb == Verb.ATTEMPTED:
            state.attempts += 1
        if event.verb == Verb.ATTENDED:
            state.attended = True
            state.completed = True
        if event.verb == Verb.COMPLETED or event.completion is True or event.verb == Verb.PASSED:
            state.completed = True
        if event.verb == Verb.PASSED or event.success is True:
            state.passed = True
        elif (event.verb == Verb.FAILED or event.success is False) and state.passed is not True:
            state.passed = False
        if event.score is not None:
            state.best_score = max(state.best_score or 0.0, event.score)
        if event.position is not None:
            state.position = event.position
        if event.progress is not None:
            progress = max(progress, min(1.0, event.progress))
        state.last_at = event.timestamp
        state.last_url = event.more_info or state.last_url
    state.percent = 100 if state.completed else max(floor, int(progress * 100))
    return state


def _pairs(queryset, changes: set[Change]):
    """``queryset`` narrowed to exactly these (learner, activity) pairs: one row-value ``IN (VALUES ...)``.

    Measured on a 100-statement batch: an OR of one condition per learner (Q objects) cost Django ~7 ms to
    build and PostgreSQL as much to plan; a list of row values costs neither (both databases support them).
    """
    table = queryset.model._meta.db_table
    pairs = sorted(changes)
    where = (f'("{table}"."learner_id", "{table}"."activity_iri") IN '
             f"(VALUES {', '.join(['(%s, %s)'] * len(pairs))})")
    return queryset.extra(where=[where], params=[value for pair in pairs for value in pair])


def _extend(fresh: list[ActivityEvent], voided: set[Change]) -> tuple[list[ActivityState], set[Change]]:
    """Fold new events onto the stored states where they come after everything already folded.

    Returns those states and the pairs that must be re-folded from their whole history instead: a voided
    event, or an event older than the state's latest (a late or offline-synced statement). Reading the
    history only then keeps a learner's thousandth statement on an activity as cheap as the first.
    """
    by_pair: dict[Change, list[ActivityEvent]] = defaultdict(list)
    for event in sorted(fresh, key=lambda e: e.timestamp):  # stable: the batch's order breaks ties, as ids do
        by_pair[(event.learner_id, event.activity_iri)].append(event)
    pairs = set(by_pair) - voided
    stored = {(s.learner_id, s.activity_iri): s for s in _pairs(ActivityState.objects.all(), pairs)} if pairs else {}
    states, refold = [], set(voided)
    for pair in sorted(pairs):
        start, events = stored.get(pair), by_pair[pair]
        if start is not None and start.last_at is not None and events[0].timestamp < start.last_at:
            refold.add(pair)
        else:
            states.append(_fold(*pair, events, start))
    return states, refold


def _save(states: list[ActivityState]) -> None:
    if connection.vendor == "postgresql":
        bulk.save_states(states)
        return
    ActivityState.objects.bulk_create(
        states, update_conflicts=True, unique_fields=["learner", "activity_iri"], update_fields=bulk.STATE_FIELDS,
    )


def _insert_events(events: list[ActivityEvent]) -> None:
    if connection.vendor == "postgresql":
        bulk.insert_events(events)
    else:
        ActivityEvent.objects.bulk_create(events, ignore_conflicts=True)


def _recompute(changes: set[Change]) -> None:
    """Re-fold the changed pairs: one read of their events and one write, however many pairs there are."""
    if not changes:
        return
    grouped: dict[Change, list[ActivityEvent]] = defaultdict(list)
    for event in _pairs(ActivityEvent.objects.filter(voided=False), changes).order_by("timestamp", "id"):
        grouped[(event.learner_id, event.activity_iri)].append(event)
    states = [_fold(learner_id, iri, grouped[(learner_id, iri)]) for learner_id, iri in sorted(changes)
              if (learner_id, iri) in grouped]
    # Every event voided: no state at all, exactly as a rebuild (which never sees voided statements) leaves it.
    emptied = changes - grouped.keys()
    if emptied:
        _pairs(ActivityState.objects.all(), emptied).delete()
    _save(states)


def _project(statements: Iterable[dict]) -> set[Change]:
    events, voided_ids = [], []
    for statement in statements:
        if (statement.get("verb") or {}).get("id") == Verb.VOIDED:
            target = statement.get("object") or {}
            if target.get("objectType") == "StatementRef" and target.get("id"):
                voided_ids.append(uuid.UUID(target["id"]))
            continue
        event = _event(statement)
        if event is not None:
            events.append(event)
    if not events and not voided_ids:
        return set()
    known = set(
        ActivityEvent.objects.filter(statement_id__in=[e.statement_id for e in events])
        .values_list("statement_id", flat=True)
    )
    fresh = [e for e in events if e.statement_id not in known]
    _insert_events(fresh)
    changes = {(e.learner_id, e.activity_iri) for e in fresh}
    voided: set[Change] = set()
    if voided_ids:
        targets = ActivityEvent.objects.filter(statement_id__in=voided_ids, voided=False)
        voided = set(targets.values_list("learner_id", "activity_iri"))
        targets.update(voided=True)
    extended, refold = _extend(fresh, voided)
    _save(extended)
    _recompute(refold)
    return changes | voided


def project(statements: list[dict]) -> set[Change]:
    """Fold committed statements into activity state; returns the (learner id, activity IRI) pairs changed.

    After commit, sends ``signals.activities_changed`` so completion is evaluated at once.
    """
    with transaction.atomic():
        changes = _project(statements)
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
                _project(batch)
                count, batch = count + len(batch), []
        _project(batch)
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

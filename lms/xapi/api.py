"""Python interface of the Learning Record Store: the one write path for statements.

``record()`` is used alike by the platform's own pages, by content posting to ``/xapi/`` and by offline
sync. It validates (``lms.xapi.validation``), stores all or nothing in one transaction and, after
commit, sends ``lms.xapi.signals.statements_recorded`` so that projections re-evaluate: in this process
(``projections="inline"``, the default) or, for statements posted over HTTP (``"queued"``), in a Celery
worker that drains the outbox the batch was written to (``lms.xapi.projections``), so that the LRS
acknowledges a batch without waiting for its projections.
"""
from __future__ import annotations

import json
import logging
import urllib.parse
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import bulk, storage
from . import projections as projections_outbox
from .attachments import check_parts, save_attachments
from .documents import DocumentConflict, DocumentKey, delete_documents, get_document, list_document_ids, put_document  # noqa: F401  (re-exported: documents are part of this interface)
from .models import Activity, Statement, StatementRelation
from .queries import StatementFilter, find_statements, get_statement  # noqa: F401
from .signals import statements_recorded, statements_storing
from .signatures import verify_signatures
from .validation import Invalid, check_authority, check_statement

__all__ = [
    "INLINE", "QUEUED", "DocumentConflict", "DocumentKey", "StatementFilter", "StatementRejected", "activity_iri",
    "delete_documents",
    "find_statements", "get_document", "get_statement", "iter_statements", "list_document_ids", "platform_authority",
    "put_document", "record", "send_recorded",
]

log = logging.getLogger(__name__)
MAX_BATCH = 1000  # statements per record() call; the HTTP layer also bounds request bytes
INLINE, QUEUED = "inline", "queued"


class StatementRejected(ValueError):
    """The statements were not stored. ``status`` is 400 (invalid) or 409 (id reused with other content)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def activity_iri(*parts: str) -> str:
    """The IRI of a platform activity: ``activity_iri("course", code)``, lessons and blocks below it."""
    return settings.XAPI_ACTIVITY_IRI_BASE + "/".join(urllib.parse.quote(p, safe="") for p in parts)


def platform_authority() -> dict:
    """The authority of statements the platform itself records."""
    return {
        "objectType": "Agent",
        "name": settings.WAGTAIL_SITE_NAME,
        "account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": "platform"},
    }


def _validate(statements, *, v2: bool) -> list[dict]:
    if not isinstance(statements, list):
        raise StatementRejected("statements: must be a statement object or an array of statements")
    if not statements:
        raise StatementRejected("statements: the array is empty")
    if len(statements) > MAX_BATCH:
        raise StatementRejected(f"statements: at most {MAX_BATCH} statements per request")
    for index, statement in enumerate(statements):
        path = "statement" if len(statements) == 1 else f"statements[{index}]"
        try:
            check_statement(statement, path, v2=v2)
        except Invalid as error:
            raise StatementRejected(str(error))
    return statements


def _dedupe_batch(statements: list[dict], *, v2: bool) -> list[dict]:
    """A batch may repeat a statement verbatim (kept once) but not reuse an id for different content.

    xAPI 2.0 (4.1.6.1) makes any repeated id in a batch an error; 1.0.3 only says "SHOULD*", and 1.0 clients
    that re-queue a statement into the same batch keep working.
    """
    seen: dict[str, dict] = {}
    unique = []
    for index, statement in enumerate(statements):
        key = statement["id"].lower()
        if key in seen and v2:
            raise StatementRejected(f"statements[{index}].id: the batch uses id {key} more than once")
        if key in seen:
            if storage.comparable(seen[key]) != storage.comparable(statement):
                raise StatementRejected(f"statements[{index}].id: the batch uses id {key} twice with different content")
            continue
        seen[key] = statement
        unique.append(statement)
    return unique


def _same_statement(stored_payload: str, incoming: dict) -> bool:
    existing = json.loads(stored_payload)
    incoming = dict(incoming)
    storage.normalise_context_activities(incoming)
    if "timestamp" not in incoming:
        existing.pop("timestamp", None)
    return storage.comparable(existing) == storage.comparable(incoming)


def record(
    statements: list[dict],
    *,
    authority: dict | None = None,
    attachments: dict[str, tuple[str, bytes]] | None = None,
    xapi_version: str = "1.0.3",
    projections: str = INLINE,
) -> list[str]:
    """Validate and store ``statements`` (all or nothing); return their ids in order.

    ``authority`` is who vouches for them (an LRS client's agent; the platform's by default). It
    replaces any authority inside the statements. ``attachments`` maps SHA-256 hex to (content type,
    bytes) for the statements' attachments sent alongside (multipart/mixed). Raises
    ``StatementRejected`` (400 invalid / 409 conflicting id / 503 a ``statements_storing`` receiver failed)
    and stores nothing in that case. ``xapi_version`` is the version the sender follows ("2.0.0" allows
    contextAgents/contextGroups and refuses repeated ids in a batch).

    ``projections`` says where ``statements_recorded`` is sent after commit: ``"inline"`` in this process
    before ``record()`` returns (the learner who just clicked sees progress at once), ``"queued"`` in a Celery
    worker (the HTTP statements resource; the batch goes to the outbox in this transaction). Queued falls back
    to inline without a broker (eager Celery) or when ``XAPI_QUEUE_PROJECTIONS`` is off; when the drain cannot
    be enqueued (logged), this process projects the batch after the commit.
    """
    if projections not in (INLINE, QUEUED):
        raise ValueError(f"projections must be {INLINE!r} or {QUEUED!r}, not {projections!r}")
    v2 = xapi_version.startswith("2.")
    statements = _validate(statements, v2=v2)
    authority = authority or platform_authority()
    try:
        check_authority(authority, "authority")
    except Invalid as error:
        raise StatementRejected(str(error))
    attachments = attachments or {}
    try:
        verify_signatures(statements, attachments)
        check_parts(statements, attachments)
    except Invalid as error:
        raise StatementRejected(str(error))
    # Ids are given here, not at insert, so that a retry after a concurrent insert reuses them.
    statements = [s if "id" in s else {**s, "id": str(uuid.uuid4())} for s in statements]
    unique = _dedupe_batch(statements, v2=v2)
    # On PostgreSQL a batch is first stored on the assumption that every id is new (one round trip); if one
    # was stored before, that transaction is rolled back and the batch is compared with what is stored.
    careful = connection.vendor != "postgresql"
    for attempt in range(4):
        try:
            with transaction.atomic():
                return _store(statements, unique, authority, attachments, careful=careful, projections=projections)
        except _AlreadyStored:
            careful = True
        except IntegrityError:
            # A concurrent request inserted one of these ids first: look again, now it is committed.
            if attempt == 3:
                raise StatementRejected("statements: could not be stored because of concurrent writes; retry", 409)
    raise AssertionError("unreachable")


class _AlreadyStored(Exception):
    """The fast path met an id that is already stored (a re-send or a concurrent duplicate)."""


def _store(statements: list[dict], unique: list[dict], authority: dict, attachments, *, careful: bool,
           projections: str) -> list[str]:
    now = timezone.now()
    # One microsecond apart, so that (stored, seq) order is the batch's order whatever the insert order.
    prepared = [storage.prepare(s, authority=authority, stored=now + timedelta(microseconds=i))
                for i, s in enumerate(unique)]
    _check_voiding(prepared)
    save_attachments(prepared, attachments)
    # Insert in id order, skipping ids a concurrent request stored first (it holds the unique-index lock
    # until it commits, so we wait and then see its row): no IntegrityError, no deadlock between batches.
    prepared.sort(key=lambda p: p.statement_id)
    queued = projections == QUEUED and _queue_available()
    pending = None
    if careful:
        prepared = _insert_checked(prepared, unique)
    else:
        # Queued: the outbox row goes in the insert's round trip (in stored order, as ``remember`` has it).
        in_order = [s["id"] for s in unique] if queued else None
        pending = bulk.insert_new(prepared, _definitions(prepared), remember=in_order)
        if not pending:
            raise _AlreadyStored
    targets = [p.voids for p in prepared if p.voids]
    if targets:
        Statement.objects.filter(statement_id__in=targets, is_voiding=False).update(voided=True)
    if prepared:
        recorded = [p.statement for p in sorted(prepared, key=lambda p: p.stored)]
        _send_storing(recorded)
        if queued:
            if careful:
                pending = projections_outbox.remember([s["id"] for s in recorded])
            transaction.on_commit(lambda: _queue_projections(pending, len(recorded)))
        else:
            transaction.on_commit(lambda: statements_recorded.send(sender=Statement, statements=recorded))
    return [s["id"].lower() for s in statements]


def _queue_projections(pending: int, size: int) -> None:
    """After commit: have a worker project the outbox (``lms.xapi.projections``), this batch among others."""
    from .tasks import project_pending

    if not projections_outbox.wake_worker():
        return  # a drain is queued and has not started: it will take this batch too
    try:
        project_pending.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - whatever the broker raised, the projections still run, here
        projections_outbox.worker_woken()
        log.exception("could not queue the projections of %d statements; running them in this process", size)
        projections_outbox.drain(only=pending)


def _queue_available() -> bool:
    """A broker is configured (Celery not eager) and queueing is switched on."""
    return getattr(settings, "XAPI_QUEUE_PROJECTIONS", True) and not current_app.conf.task_always_eager


def send_recorded(statement_ids: list[str]) -> int:
    """Send ``statements_recorded`` for stored statements given by id (one query), in stored order; returns
    how many. Statements voided by now are left out (see ``projections.send_recorded``)."""
    return projections_outbox.send_recorded(statement_ids)


def _insert_checked(prepared: list[storage.Prepared], unique: list[dict]) -> list[storage.Prepared]:
    """Insert what is new, check that ids already stored hold the same statement (else 409); return the
    statements this call stored, with their relations and activity definitions written."""
    given = {s["id"].lower(): s for s in unique}
    if connection.vendor == "postgresql":
        bulk.insert_statements(prepared)
        inserted = bulk.rows_for([p.statement_id for p in prepared])
    else:
        Statement.objects.bulk_create([
            Statement(statement_id=p.statement_id, stored=p.stored, timestamp=p.timestamp, payload=p.payload,
                      **p.columns)
            for p in prepared
        ], ignore_conflicts=True)
        rows = Statement.objects.filter(statement_id__in=[p.statement_id for p in prepared])
        inserted = {sid: (seq, payload) for sid, seq, payload in rows.values_list("statement_id", "seq", "payload")}
    for p in prepared:
        if inserted[p.statement_id][1] != p.payload and not _same_statement(
            inserted[p.statement_id][1], given[str(p.statement_id)]
        ):
            raise StatementRejected(
                f"statement.id: a different statement with id {p.statement_id} is already stored", 409
            )
    prepared = sorted((p for p in prepared if inserted[p.statement_id][1] == p.payload), key=lambda p: p.stored)
    rows = [(inserted[p.statement_id][0], kind, key) for p in prepared for kind, key in p.relations]
    if connection.vendor == "postgresql":
        bulk.insert_relations(rows)
    elif rows:
        StatementRelation.objects.bulk_create([StatementRelation(statement_id=seq, kind=kind, key=key)
                                               for seq, kind, key in rows])
    _remember_activities(prepared)
    return prepared


def _send_storing(recorded: list[dict]) -> None:
    """``statements_storing`` inside the transaction: what its receivers write commits with the statements.

    A receiver that fails aborts the whole batch (503, nothing stored): the caller retries, and nothing a
    receiver promised to do for stored statements (forwarding) can be missing for them.
    """
    try:
        statements_storing.send(sender=Statement, statements=recorded)
    except Exception as error:  # noqa: BLE001 - whatever the receiver raised, the batch is not stored
        log.exception("a statements_storing receiver failed; the batch is not stored")
        raise StatementRejected(
            f"statements: not stored, a part of the platform that must record them with the statements failed "
            f"({type(error).__name__}); retry later", 503,
        ) from error


def _check_voiding(prepared: list[storage.Prepared]) -> None:
    targets = {p.voids for p in prepared if p.voids}
    if not targets:
        return
    voiding_in_batch = {p.statement_id for p in prepared if p.voids}
    stored_voiding = set(
        Statement.objects.filter(statement_id__in=targets, is_voiding=True).values_list("statement_id", flat=True)
    )
    for target in targets:
        if target in voiding_in_batch or target in stored_voiding:
            raise StatementRejected(f"statement.object.id: {target} is a voiding statement and cannot be voided")


def _definitions(prepared: list[storage.Prepared]) -> dict[str, dict]:
    """The activity definitions of a batch merged per IRI, in stored (batch) order."""
    definitions: dict[str, dict] = {}
    for p in sorted(prepared, key=lambda p: p.stored):
        for iri, definition in p.activities.items():
            if definition:
                definitions[iri] = _merge_definition(definitions.get(iri, {}), definition)
    return definitions


def _remember_activities(prepared: list[storage.Prepared]) -> None:
    definitions = _definitions(prepared)
    if not definitions:
        return
    if connection.vendor == "postgresql":
        bulk.upsert_activity_definitions(definitions)
        return
    known = dict(Activity.objects.filter(iri__in=list(definitions)).values_list("iri", "definition"))
    changed = []
    for iri, definition in definitions.items():
        merged = _merge_definition(known.get(iri) or {}, definition)
        if merged != known.get(iri):
            changed.append(Activity(iri=iri, definition=merged, given_digest=storage.digest(storage.dumps(definition))))
    if changed:
        Activity.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["iri"],
            update_fields=["definition", "given_digest", "updated"],
        )


def _merge_definition(old: dict, new: dict) -> dict:
    """Latest definition wins, but language maps keep languages only older statements gave."""
    merged = dict(old)
    for key, value in new.items():
        if key in ("name", "description") and isinstance(old.get(key), dict):
            merged[key] = {**old[key], **value}
        else:
            merged[key] = value
    return merged


def iter_statements(*, since: datetime | None = None, chunk: int = 1000) -> Iterator[dict]:
    """Every stored, non-voided statement in stored order (for rebuilding projections)."""
    rows = Statement.objects.filter(voided=False).order_by("stored", "seq")
    if since is not None:
        rows = rows.filter(stored__gt=since)
    last = None
    while True:
        page = rows
        if last is not None:
            page = page.filter(stored__gte=last[0]).exclude(stored=last[0], seq__lte=last[1])
        batch = list(page.values_list("stored", "seq", "payload")[:chunk])
        if not batch:
            return
        for _stored, _seq, payload in batch:
            yield storage.loads(payload)
        last = batch[-1][:2]

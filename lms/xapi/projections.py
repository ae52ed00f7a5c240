"""Queued projections: an outbox of committed batches, projected by a worker many batches at a time.

A batch posted over HTTP is stored with one ``PendingProjection`` row in the same transaction (``remember``).
After the commit the LRS asks a Celery worker to ``drain`` the outbox. The worker claims pending batches up
to ``XAPI_PROJECTION_CHUNK`` statements, sends ``statements_recorded`` once for all of them and deletes their
rows, in one transaction. So:
- a stored batch is always projected, even if the process dies between the commit and the enqueue, or the
  worker dies mid-way (its transaction rolls back and the rows wait for the next drain; beat drains too);
- under load the worker projects ~1,000 statements per transaction instead of one request's 1 or 100: the
  per-transaction work (queries, commit, the completion pass) is shared, and a backlog shrinks faster
  the larger it is;
- batches are projected in the order they were committed, by one worker or several (``SKIP LOCKED``).

With a shared cache (``REDIS_URL``), a batch queues a drain only when none is queued and not yet started
(``wake_worker`` / ``worker_woken``): a burst of single statements queues a handful of messages, not one per
statement (each cost the worker ~4 ms, measured). Without one, every batch queues a drain, and a drain that
finds the work done costs one empty query.

The projection transaction commits asynchronously on PostgreSQL (``synchronous_commit = off``): a database
crash can lose its last fraction of a second, but then the outbox rows come back with it and are projected
again, and the projections are idempotent. It saves a disk flush per transaction that the LRS's own commits
would otherwise queue behind.
"""
from __future__ import annotations

import logging
import time
import traceback

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from . import storage
from .models import PendingProjection, Statement
from .signals import statements_recorded

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3  # a batch whose projection raised this often waits for an operator
_QUEUED_KEY = "xapi:projections:drain-queued"
# A lost message leaves the key set: after this long the next batch queues a drain again (beat sweeps too).
_QUEUED_SECONDS = 10


def remember(statement_ids: list[str]) -> int:
    """Inside the recording transaction: note the batch for the worker. Returns the outbox row's id."""
    row = PendingProjection.objects.create(statement_ids=",".join(statement_ids), size=len(statement_ids),
                                           created=timezone.now())
    return row.pk


def wake_worker() -> bool:
    """After a batch's commit: whether to queue a drain (False: one is queued and has not started yet)."""
    if not _shared_cache():
        return True
    try:
        return cache.add(_QUEUED_KEY, 1, timeout=_QUEUED_SECONDS)
    except Exception:  # noqa: BLE001 - without the cache, queue one more drain than needed
        log.warning("cache unreachable; queueing a projection drain anyway", exc_info=True)
        return True


def worker_woken() -> None:
    """A drain starts (or its message could not be queued): batches committed from now on queue another one.

    Called before the drain claims anything, so a batch that saw the key set is committed before the claim."""
    if _shared_cache():
        try:
            cache.delete(_QUEUED_KEY)
        except Exception:  # noqa: BLE001 - the key expires by itself
            log.warning("cache unreachable; the projection drain key expires by itself", exc_info=True)


def _shared_cache() -> bool:
    """The web processes and the workers see the same cache (not each its own memory)."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)  # ``cache`` is a proxy


def send_recorded(statement_ids: list[str]) -> int:
    """Send ``statements_recorded`` for stored statements given by id (one query), in stored order.

    Returns how many it sent. Statements voided by the time it runs are left out, as a rebuild from
    ``iter_statements()`` (which skips voided ones) leaves them out: the voiding statement may have been
    projected before this one.
    """
    rows = Statement.objects.filter(statement_id__in=statement_ids, voided=False).order_by("stored", "seq")
    recorded = [storage.loads(payload) for payload in rows.values_list("payload", flat=True)]
    if recorded:
        statements_recorded.send(sender=Statement, statements=recorded)
    return len(recorded)


def drain(*, only: int | None = None, retry_failed: bool = False, chunk: int | None = None,
          seconds: float | None = None, pace: bool = False) -> int:
    """Project pending batches until none is left (or ``seconds`` have passed); returns the statements sent.

    ``only``: just that outbox row (the request's fallback when the queue is unreachable). ``retry_failed``:
    include batches that failed ``MAX_ATTEMPTS`` times (an operator's retry). A chunk whose projection raises
    is projected again one batch at a time, so one bad batch does not hold up the others. ``pace``: yield to
    the LRS while it is busy (``_Pace``), as the worker does.
    """
    chunk = chunk or settings.XAPI_PROJECTION_CHUNK
    deadline = None if seconds is None else time.monotonic() + seconds
    pacer = _Pace() if pace else None
    total = 0
    while True:
        started = time.monotonic()
        claimed, sent = _project_chunk(chunk, only, retry_failed)
        if not claimed:
            return total
        if sent is None:
            sent = sum(_project_alone(pk) for pk in claimed)
        total += sent
        if only is not None or (deadline is not None and time.monotonic() > deadline):
            return total
        if pacer is not None:
            pacer.after_chunk(time.monotonic() - started)


def pending() -> bool:
    """Whether batches wait that a drain would take (not those set aside after failing)."""
    return PendingProjection.objects.filter(attempts__lt=MAX_ATTEMPTS).exists()


class _Pace:
    """Projections yield to the LRS during a burst, within a bound on how far they may fall behind.

    A projection's database work competes with the LRS's on the same server, and the worker's lower CPU
    priority does not reach its PostgreSQL backend. So while batches keep arriving (the LRS is taking
    statements) the drain works at most ``XAPI_PROJECTION_DUTY`` of the time: after a chunk that took t
    seconds, it waits t x (1 - duty) / duty. Under light traffic chunks are small and so are the waits (a few
    milliseconds); after a burst nothing arrives and it runs flat out. Once the oldest waiting batch is
    ``XAPI_PROJECTION_MAX_LAG`` seconds old it stops waiting, so sustained heavy traffic slows the LRS
    rather than letting progress fall further behind (autovacuum's cost delay is the same idea).
    Measured on 2 cores (lms/xapi/readme.md): unpaced, the worker took 45 % of the LRS's batched ingest.
    """

    def __init__(self):
        self.duty = settings.XAPI_PROJECTION_DUTY
        self.newest = PendingProjection.objects.aggregate(newest=Max("pk"))["newest"] or 0

    def after_chunk(self, busy: float) -> None:
        if self.duty >= 1:
            return
        # The oldest batch a drain would take: one set aside after failing must not end the pacing for good.
        state = PendingProjection.objects.aggregate(
            newest=Max("pk"), oldest=Min("created", filter=Q(attempts__lt=MAX_ATTEMPTS)))
        arrived = (state["newest"] or 0) > self.newest
        self.newest = max(self.newest, state["newest"] or 0)
        behind = state["oldest"] is not None and (
            timezone.now() - state["oldest"]).total_seconds() >= settings.XAPI_PROJECTION_MAX_LAG
        if arrived and not behind:
            time.sleep(busy * (1 - self.duty) / self.duty)  # duty in (0, 1]: checks.py


def _project_chunk(chunk: int, only: int | None, retry_failed: bool) -> tuple[list[int], int | None]:
    """Claim up to ``chunk`` statements' batches and project them in one transaction.

    Returns the claimed row ids and the statements sent; ``None`` sent if the projection raised (the
    transaction is rolled back, the rows stay).
    """
    with transaction.atomic():
        rows = _claim(chunk, only, retry_failed)
        if not rows:
            return [], 0
        claimed = [row.pk for row in rows]
        try:
            with transaction.atomic():
                _commit_asynchronously()
                sent = send_recorded([i for row in rows for i in row.statement_ids.split(",")])
                PendingProjection.objects.filter(pk__in=claimed).delete()
        except Exception:  # noqa: BLE001 - a receiver's failure must not stop the other batches
            if len(rows) == 1:
                _failed(claimed[0])
                return claimed, 0
            log.warning("projecting %d batches together raised; projecting them one at a time", len(rows),
                        exc_info=True)
            return claimed, None
    return claimed, sent


def _project_alone(pk: int) -> int:
    _claimed, sent = _project_chunk(1, pk, retry_failed=True)
    return sent or 0


def _claim(chunk: int, only: int | None, retry_failed: bool) -> list[PendingProjection]:
    pending = PendingProjection.objects.select_for_update(skip_locked=True).order_by("pk")
    if only is not None:
        pending = pending.filter(pk=only)
    elif not retry_failed:
        pending = pending.filter(attempts__lt=MAX_ATTEMPTS)
    rows, size = [], 0
    # At most ``chunk`` rows (all single statements), cut at ``chunk`` statements; rows locked and not taken
    # are released at commit.
    for row in pending[:chunk]:
        if rows and size + row.size > chunk:
            break
        rows.append(row)
        size += row.size
    return rows


def _failed(pk: int) -> None:
    """Count a failed attempt, outside the rolled-back savepoint, so the error is kept for the operator."""
    log.exception("could not project pending batch %s", pk)
    PendingProjection.objects.filter(pk=pk).update(attempts=F("attempts") + 1,
                                                   last_error=traceback.format_exc()[-4000:])


def _commit_asynchronously() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def backlog() -> dict:
    """What waits in the outbox: ``{"batches", "statements", "failed"}`` (failed: batches left for an operator)."""
    return PendingProjection.objects.aggregate(
        batches=Count("pk"), statements=Sum("size", default=0),
        failed=Count("pk", filter=Q(attempts__gte=MAX_ATTEMPTS)),
    )

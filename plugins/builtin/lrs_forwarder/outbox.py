"""The forwarding outbox: a delivery per target written with the statements, sent after commit, retried.

The outbox rows are written by a ``statements_storing`` receiver, inside the transaction that stores the
statements: they commit together or not at all, so a crash after commit cannot lose a forward (the rows are
pending and due; ``forward_due`` from beat or cron sends them). Recording never waits for a remote LRS: the
send is handed, after commit, to Celery (a worker) or, without a broker, to a background thread.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from plugins.core import registry

from .models import ForwardingAttempt, ForwardingDelivery, ForwardingTarget

PLUGIN_ID = "lrs_forwarder"
MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600
log = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at 6 h."""
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


# (expiry, plugin on, enabled target ids): the check costs three queries and runs inside every recording
# transaction, so it is cached per process; a target added or switched off counts at most this much later.
_enabled_until = [0.0, False, ()]
ENABLED_CACHE_SECONDS = 5


def _enabled_targets() -> tuple[int, ...]:
    now = time.monotonic()
    if _enabled_until[0] <= now:
        enabled = registry.is_enabled(PLUGIN_ID)
        targets = tuple(ForwardingTarget.objects.filter(enabled=True).values_list("pk", flat=True)) if enabled else ()
        _enabled_until[:] = [now + ENABLED_CACHE_SECONDS, enabled, targets]
    return _enabled_until[2]


def forget_targets(**kwargs) -> None:
    _enabled_until[0] = 0.0


def on_statements_storing(sender, statements, **kwargs) -> None:
    """One INSERT per batch (a row per target), in the recording transaction; the send waits for commit."""
    targets = _enabled_targets()
    if not targets:
        return
    ids = _insert_deliveries(targets, statements)
    transaction.on_commit(lambda: schedule(ids))


def _insert_deliveries(targets: tuple[int, ...], statements: list[dict]) -> list[int]:
    """INSERT ... SELECT from the targets table: a target deleted or switched off (in another process) since
    the cache was filled is skipped instead of failing the batch with a foreign-key error."""
    now = timezone.now()
    sql = (f"INSERT INTO {ForwardingDelivery._meta.db_table} (target_id, statements, statement_count, status, "
           "attempts, next_attempt_at, last_error, created) "
           f"SELECT id, %s, %s, '{ForwardingDelivery.Status.PENDING}', 0, %s, '', %s "
           f"FROM {ForwardingTarget._meta.db_table} WHERE enabled AND id {{ids}} RETURNING id")
    if connection.vendor != "postgresql":
        stamp = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(sql.format(ids=f"IN ({', '.join(['%s'] * len(targets))})"),
                           [json.dumps(statements), len(statements), stamp, stamp, *targets])
            return [row[0] for row in cursor.fetchall()]
    # Server-side binding, the batch sent once for every target: Django's client-side quoting of ~50 kB of
    # JSON per target made this insert ~15x slower (77 ms against 5 ms at load 8, tests/perf/outbox_bench.py).
    import psycopg
    from psycopg.types.json import Jsonb

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql.format(ids="= ANY(%s)"), [Jsonb(statements), len(statements), now, now, list(targets)])
        return [row[0] for row in cursor.fetchall()]


def schedule(delivery_ids: list[int]) -> None:
    from .tasks import forward_deliveries

    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No worker: send from a background thread so that the request that recorded returns at once.
        threading.Thread(target=_run_in_thread, args=(delivery_ids,), daemon=True,
                         name="lrs-forwarder-outbox").start()
    else:
        forward_deliveries.delay(delivery_ids)


def _run_in_thread(delivery_ids: list[int]) -> None:
    try:
        for delivery_id in delivery_ids:
            deliver(delivery_id)
    except Exception:  # noqa: BLE001 - a background thread must log, not die silently
        log.exception("LRS forwarding failed unexpectedly")
    finally:
        try:
            connection.close()
        except DatabaseError:
            pass  # tests share one in-memory SQLite connection across threads; it is not ours to close


def _forwarder():
    implementations = registry.installed_plugins()[PLUGIN_ID].lrs_forwarders
    return implementations[0]()


def deliver(delivery_id: int) -> ForwardingDelivery | None:
    """Make one try at a pending, due delivery; record it; schedule the next try or give up."""
    with transaction.atomic():
        delivery = (ForwardingDelivery.objects.select_for_update(skip_locked=True).select_related("target")
                    .filter(pk=delivery_id, status=ForwardingDelivery.Status.PENDING).first())
        if delivery is None or delivery.next_attempt_at > timezone.now():
            return delivery
        # Claim the try: a second worker that picks the row up meanwhile sees it is not due.
        delivery.attempts += 1
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    started = timezone.now()
    clock = time.monotonic()
    result = _forwarder().send(target=delivery.target.as_target(), statements=delivery.statements,
                               timeout=float(delivery.target.timeout_seconds))
    ForwardingAttempt.objects.create(
        delivery=delivery, started_at=started, duration_ms=int((time.monotonic() - clock) * 1000), ok=result.ok,
        outcome=result.outcome, status_code=result.status_code, detail=result.detail,
    )
    if result.ok:
        delivery.status = ForwardingDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
    else:
        delivery.last_error = f"{result.outcome} {result.status_code or ''} {result.detail}".strip()
        if delivery.attempts >= MAX_ATTEMPTS or result.outcome == "refused":
            delivery.status = ForwardingDelivery.Status.FAILED  # a 4xx will not get better by itself
    delivery.save(update_fields=["status", "delivered_at", "last_error"])
    return delivery


def deliver_due(limit: int = 500) -> int:
    """Try every pending delivery whose time has come (Celery beat or cron). Returns how many were tried."""
    due = list(ForwardingDelivery.objects.filter(status=ForwardingDelivery.Status.PENDING,
                                                 next_attempt_at__lte=timezone.now())
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    for delivery_id in due:
        deliver(delivery_id)
    return len(due)


@transaction.atomic
def retry(delivery_id: int) -> ForwardingDelivery:
    """An admin's "retry": a failed delivery becomes pending again, due now, with a fresh attempt budget."""
    delivery = ForwardingDelivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.status != ForwardingDelivery.Status.DELIVERED:
        delivery.status = ForwardingDelivery.Status.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        transaction.on_commit(lambda: schedule([delivery.pk]))
    return delivery

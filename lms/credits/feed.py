"""The feed: ledger entries -> outbox -> credit-bank connectors (plugins), and the hub's inbox.

An outbox row per entry and active connector is written in the entry's own transaction
(``enqueue``), so an entry is never recorded without its delivery. After commit a Celery task tries
at once; a failed try is recorded and the row waits ``backoff`` (30 s, doubling, capped at an hour);
``deliver_due`` (Celery beat, or ``manage.py credits_deliver`` from cron) sends what is due. A row is
claimed by a conditional UPDATE before sending, so two workers never send the same row at the same
time; the receiver still de-duplicates on the idempotency key because a reply can be lost after the
receiver stored the entry. After ``CREDIT_BANK_FEED_MAX_ATTEMPTS`` a row is set aside for a person
(the admin's "Undelivered credit entries" view) and is sent again when they press retry.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.accounts.api import xapi_agent

from .models import DeliveryAttempt, LedgerEntry, OutboxDelivery, ReceivedEntry

SIGNATURE_HEADER = "X-Credit-Bank-Signature"
TIMESTAMP_HEADER = "X-Credit-Bank-Timestamp"
SENDER_HEADER = "X-Credit-Bank-Sender"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_BODY_BYTES = 64 * 1024


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- signing (both ends) -------------------------------------------------------------------------------

def sign_body(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp.body``; the timestamp stops an old request being replayed."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_ok(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300) -> bool:
    try:
        age = abs(time.time() - int(timestamp))
    except (TypeError, ValueError):
        return False
    return age <= tolerance and hmac.compare_digest(sign_body(secret, timestamp, body), signature or "")


# --- the sending side ----------------------------------------------------------------------------------

def active_connectors() -> dict:
    """Enabled and configured connectors, by id. Installed is not enabled (plugins/core/registry)."""
    from plugins.core import registry

    if hasattr(registry, "enabled_implementations"):
        classes = registry.enabled_implementations("credit_bank_connectors")
    else:  # the per-Site registry has not landed: every installed connector counts as enabled
        classes = [c for spec in registry.installed_plugins().values() for c in spec.credit_bank_connectors]
    connectors = (cls() for cls in classes)
    return {c.id: c for c in connectors if c.is_configured()}


def enqueue(entry: LedgerEntry) -> list[int]:
    """Create the entry's outbox rows (inside the caller's transaction) and send them after commit."""
    now = timezone.now()
    rows = [OutboxDelivery(entry=entry, connector_id=cid, next_attempt_at=now) for cid in active_connectors()]
    if not rows:
        return []
    created = OutboxDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: _schedule(ids))
    return ids


def enqueue_entries(entry_ids: list[int]) -> int:
    """Outbox rows for entries written in bulk (inside the caller's transaction); ``deliver_due``
    sends them. Returns how many rows were added."""
    now, rows = timezone.now(), []
    for cid in active_connectors():
        rows += [OutboxDelivery(entry_id=pk, connector_id=cid, next_attempt_at=now) for pk in entry_ids]
    OutboxDelivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def enqueue_missing() -> int:
    """Outbox rows for entries that have none for an active connector (entries written while the feed
    was off, or in bulk). Safe to run any time; returns how many rows it added."""
    added, now = 0, timezone.now()
    for cid in active_connectors():
        missing = LedgerEntry.objects.exclude(deliveries__connector_id=cid).values_list("id", flat=True)
        batch = [OutboxDelivery(entry_id=pk, connector_id=cid, next_attempt_at=now) for pk in missing.iterator()]
        OutboxDelivery.objects.bulk_create(batch, batch_size=2000, ignore_conflicts=True)
        added += len(batch)
    return added


def _schedule(ids: list[int]) -> None:
    from .tasks import deliver_entries

    deliver_entries.delay(ids)


def backoff(attempts: int) -> timedelta:
    base = _setting("CREDIT_BANK_FEED_BACKOFF_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def entry_payload(entry: LedgerEntry) -> dict:
    """The JSON a credit bank receives for one entry. Amounts are strings (exact decimals)."""
    institution = entry.institution
    return {
        "type": "CreditLedgerEntry",
        "version": 1,
        "sender": _setting("CREDIT_BANK_SENDER_ID", ""),
        "idempotencyKey": entry.idempotency_key,
        "account": {"number": entry.account.number, "learner": xapi_agent(entry.account.learner)},
        "kind": entry.kind,
        "source": entry.source,
        "credits": str(entry.credits),
        "isTransfer": entry.is_transfer,
        "activity": entry.offering_iri,
        "title": entry.title,
        "institution": {"code": institution.code, "name": institution.name} if institution else None,
        "classHours": entry.class_hours,
        "evidence": entry.evidence,
        "reverses": entry.reverses.idempotency_key if entry.reverses_id else None,
        "occurredAt": entry.occurred_at.isoformat(),
        "recordedAt": entry.recorded_at.isoformat(),
    }


def _claim(delivery_id: int, *, force: bool = False) -> bool:
    """Take the row for one try: a conditional UPDATE, so concurrent workers never both send it."""
    now = timezone.now()
    lease = now + timedelta(seconds=_setting("CREDIT_BANK_FEED_TIMEOUT_SECONDS", 10) + 60)
    rows = OutboxDelivery.objects.filter(pk=delivery_id, status=OutboxDelivery.Status.PENDING)
    if not force:
        rows = rows.filter(next_attempt_at__lte=now)
    return rows.update(next_attempt_at=lease) == 1


def deliver(delivery_id: int, *, force: bool = False) -> OutboxDelivery | None:
    """One try at one outbox row, recorded as a ``DeliveryAttempt``. Returns the row, or None when it
    was not due, already delivered, or taken by another worker."""
    if not _claim(delivery_id, force=force):
        return None
    delivery = OutboxDelivery.objects.select_related(
        "entry__account__learner__profile", "entry__institution", "entry__reverses"
    ).get(pk=delivery_id)
    connector = active_connectors().get(delivery.connector_id)
    started, clock = timezone.now(), time.monotonic()
    if connector is None:
        ok, outcome, status_code, detail = False, DeliveryAttempt.Outcome.NETWORK, None, "connector not enabled"
    else:
        result = connector.deliver(
            payload=entry_payload(delivery.entry), idempotency_key=delivery.entry.idempotency_key,
            timeout=_setting("CREDIT_BANK_FEED_TIMEOUT_SECONDS", 10),
        )
        ok, outcome, status_code, detail = result.ok, result.outcome, result.status_code, result.detail
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery, started_at=started, duration_ms=int((time.monotonic() - clock) * 1000),
            outcome=outcome, status_code=status_code, detail=(detail or "")[:2000],
        )
        delivery.attempts += 1
        if ok:
            delivery.status, delivery.delivered_at, delivery.last_error = (
                OutboxDelivery.Status.DELIVERED, timezone.now(), "")
        else:
            delivery.last_error = f"{outcome}: {detail}"[:2000]
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
            if delivery.attempts >= _setting("CREDIT_BANK_FEED_MAX_ATTEMPTS", 12):
                delivery.status = OutboxDelivery.Status.GAVE_UP
        delivery.save(update_fields=["status", "attempts", "delivered_at", "last_error", "next_attempt_at"])
    return delivery


def deliver_due(*, limit: int = 500) -> dict[str, int]:
    """Send every due row (oldest first); returns counts by outcome."""
    counts = {"delivered": 0, "failed": 0, "skipped": 0}
    due = OutboxDelivery.objects.filter(
        status=OutboxDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit]
    for delivery_id in list(due):
        delivery = deliver(delivery_id)
        key = "skipped" if delivery is None else (
            "delivered" if delivery.status == OutboxDelivery.Status.DELIVERED else "failed")
        counts[key] += 1
    return counts


def undelivered():
    return OutboxDelivery.objects.exclude(status=OutboxDelivery.Status.DELIVERED).select_related(
        "entry__account", "entry__institution").order_by("status", "next_attempt_at")


def retry(delivery_id: int) -> OutboxDelivery | None:
    """A person asked to send again now: give a set-aside row a fresh series of tries."""
    OutboxDelivery.objects.filter(pk=delivery_id).exclude(status=OutboxDelivery.Status.DELIVERED).update(
        status=OutboxDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    return deliver(delivery_id, force=True)


# --- the receiving hub ---------------------------------------------------------------------------------

class Refused(ValueError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def receive(*, sender: str, timestamp: str, signature: str, idempotency_key: str, body: bytes) -> tuple[
        ReceivedEntry, bool]:
    """Verify and store one entry sent by an institution instance; (row, created). A re-sent entry
    (same sender and key) is answered with the stored row and not stored again."""
    import json

    secret = _setting("CREDIT_BANK_HUB_SENDERS", {}).get(sender)
    if not secret:
        raise Refused(f"Unknown sender {sender!r}: add it to CREDIT_BANK_HUB_SENDERS on the hub.", 403)
    if not signature_ok(secret, timestamp, body, signature):
        raise Refused("Bad or expired signature: check the shared secret and the sender's clock.", 401)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise Refused("The body is not JSON.", 400)
    if not isinstance(payload, dict) or payload.get("idempotencyKey") != idempotency_key or not idempotency_key:
        raise Refused("The Idempotency-Key header must equal the entry's idempotencyKey.", 400)
    if len(idempotency_key) > 200:
        raise Refused("The idempotency key is longer than 200 characters.", 400)
    existing = ReceivedEntry.objects.filter(sender=sender, idempotency_key=idempotency_key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return ReceivedEntry.objects.create(sender=sender, idempotency_key=idempotency_key, payload=payload), True
    except IntegrityError:
        return ReceivedEntry.objects.get(sender=sender, idempotency_key=idempotency_key), False

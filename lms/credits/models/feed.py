"""The outbox to the provincial credit bank, and the hub's inbox.

One ``OutboxDelivery`` per ledger entry and connector (unique), written in the same transaction as
the entry, so no entry is ever lost between the ledger and the feed. Every try is a
``DeliveryAttempt`` row (saleor's EventDelivery/EventDeliveryAttempt shape). On the receiving hub,
``ReceivedEntry`` is unique per sender and idempotency key: a re-sent entry is stored once.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .ledger import LedgerEntry


class OutboxDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        GAVE_UP = "gave_up", _("Gave up (needs attention)")

    entry = models.ForeignKey(LedgerEntry, verbose_name=_("ledger entry"), on_delete=models.PROTECT,
                              related_name="deliveries")
    connector_id = models.CharField(_("connector"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("credit bank delivery")
        verbose_name_plural = _("credit bank deliveries")
        constraints = [models.UniqueConstraint(fields=["entry", "connector_id"], name="credits_one_delivery_per_entry")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="credits_delivery_due")]

    def __str__(self):
        return f"{self.connector_id} · {self.entry_id} · {self.get_status_display()}"


class DeliveryAttempt(models.Model):
    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        REFUSED = "refused", _("Refused by the receiver")
        FAILED = "failed", _("Receiver error")
        TIMEOUT = "timeout", _("Timed out")
        NETWORK = "network", _("Network error")

    delivery = models.ForeignKey(OutboxDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE,
                                 related_name="attempt_log")
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")


class ReceivedEntry(models.Model):
    sender = models.CharField(_("sender"), max_length=64)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("received ledger entry")
        verbose_name_plural = _("received ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["sender", "idempotency_key"], name="credits_received_once"),
        ]

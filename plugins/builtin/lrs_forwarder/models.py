"""Forwarding targets and the outbox.

Invariants: a ``ForwardingDelivery`` is one batch of statements (as stored, ids included) for one target,
written in the transaction that stores the statements (they commit together); it is ``pending`` until
delivered, and ``failed`` once it has used up its attempts (an admin may retry it). Each try, successful
or not, is a ``ForwardingAttempt``.
Re-sending is safe: statements keep their ids and a conformant LRS accepts an identical re-send.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForwardingTarget(models.Model):
    name = models.CharField(_("name"), max_length=128)
    endpoint = models.URLField(_("xAPI endpoint"), help_text=_("e.g. https://lrs.gansu.edu.cn/xapi/"))
    key = models.CharField(_("key"), max_length=255)
    # The remote LRS needs the secret itself (HTTP Basic), so it is stored; the admin never shows it.
    secret = models.CharField(_("secret"), max_length=255)
    version = models.CharField(_("xAPI version"), max_length=8, default="1.0.3",
                               choices=[("1.0.3", "1.0.3"), ("1.0.1", "1.0.1"), ("1.0.0", "1.0.0")])
    enabled = models.BooleanField(_("enabled"), default=True)
    timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=10)

    class Meta:
        verbose_name = _("LRS forwarding target")
        verbose_name_plural = _("LRS forwarding targets")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def as_target(self) -> dict:
        return {"endpoint": self.endpoint, "key": self.key, "secret": self.secret, "version": self.version}


class ForwardingDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    target = models.ForeignKey(ForwardingTarget, on_delete=models.CASCADE, related_name="deliveries")
    statements = models.JSONField()
    statement_count = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("forwarding delivery")
        verbose_name_plural = _("forwarding deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="lrsfwd_due")]


class ForwardingAttempt(models.Model):
    delivery = models.ForeignKey(ForwardingDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    ok = models.BooleanField()
    outcome = models.CharField(max_length=16)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at"]

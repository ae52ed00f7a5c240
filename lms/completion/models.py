"""Outlines pushed by ``courses`` on publish, and the completions evaluated against them.

Invariants:
- One ``OfferingOutline`` per offering IRI; its items are replaced whole on every publish.
- One ``Completion`` per learner and offering (unique constraint), created inside a transaction that
  locks the learner's existing row, so concurrent duplicate events complete an offering once. A
  revocation sets ``revoked_at``; earning it again clears it on the same row.
- ``institution_id`` is the issuing institution's id (no foreign key: the LMS core is keyed by ids and
  IRIs so outlines can arrive before or after the institution is synchronised).
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferingOutline(models.Model):
    offering_iri = models.CharField(_("offering IRI"), max_length=512, unique=True)
    kind = models.CharField(_("kind"), max_length=16)
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("URL"), max_length=512, blank=True)
    institution_id = models.BigIntegerField(_("institution id"), null=True)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1, default=Decimal("0"))
    class_hours = models.PositiveIntegerField(_("class hours"), default=0)
    skill_certificate_codes = models.JSONField(default=list, blank=True)
    require_lessons = models.BooleanField(default=False)
    require_activities = models.BooleanField(default=True)
    require_quiz_pass = models.BooleanField(default=True)
    require_attendance = models.BooleanField(default=True)
    min_hours = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    withdrawn = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course outline")
        verbose_name_plural = _("course outlines")

    def __str__(self):
        return self.title


class OutlineEntry(models.Model):
    outline = models.ForeignKey(OfferingOutline, on_delete=models.CASCADE, related_name="entries")
    iri = models.CharField(_("activity IRI"), max_length=512, db_index=True)
    kind = models.CharField(_("kind"), max_length=16)
    title = models.CharField(_("title"), max_length=255, blank=True)
    required = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["outline", "position"]


class Completion(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    offering_iri = models.CharField(_("offering IRI"), max_length=512)
    kind = models.CharField(_("kind"), max_length=16)
    title = models.CharField(_("title"), max_length=255)
    institution_id = models.BigIntegerField(null=True)
    credits = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("0"))
    class_hours = models.PositiveIntegerField(default=0)
    skill_certificate_codes = models.JSONField(default=list, blank=True)
    statement_ids = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(_("completed at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(fields=["learner", "offering_iri"], name="completion_once_per_offering"),
        ]
        indexes = [models.Index(fields=["offering_iri"])]

"""Certificates, one per completion.

Invariants:
- ``completion_id`` is unique: double clicks and duplicate signals issue one certificate.
- ``number`` is ``GS-<year>-<6 digits>``, consecutive within a year (Beijing time), drawn from
  ``CertificateSequence`` under a row lock in the same transaction as the certificate.
- The names shown on the public verification page are copied at issue time, so later profile or course
  edits do not change what a certificate said.
- A revocation is kept (``revoked_at``, who, why); ``revoked_with_completion`` marks those that follow a
  revoked completion and are restored if the learner earns it again.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateSequence(models.Model):
    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Certificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    completion_id = models.BigIntegerField(_("completion"), unique=True)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    learner_name = models.CharField(_("name"), max_length=150)
    offering_iri = models.CharField(max_length=512)
    kind = models.CharField(max_length=16)
    title = models.CharField(_("course or package"), max_length=255)
    institution_id = models.BigIntegerField(null=True)
    institution_name = models.CharField(_("institution"), max_length=255, blank=True)
    skill_certificate_codes = models.JSONField(default=list, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_with_completion = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["learner", "issued_at"])]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

"""Recognition requests: a learner asks an institution to recognise prior learning or an outside
certificate, with evidence; a credit officer of that institution approves (writing ledger entries)
or rejects with a reason. The status only moves pending -> approved | rejected, through ``api``."""
import os
import uuid
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import NON_NEGATIVE


class PrivateStorage(FileSystemStorage):
    """Evidence is personal data: it lives outside ``MEDIA_ROOT`` (so ``/media/`` never serves it), under
    ``CREDITS_EVIDENCE_ROOT`` (default ``var/private``), and is read only through the permission-checked
    view. Read from settings on every use, so tests and deployments can move it."""

    @property
    def base_location(self):
        return str(getattr(settings, "CREDITS_EVIDENCE_ROOT", "") or Path(settings.VAR_DIR) / "private")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


_evidence_storage = PrivateStorage()


def evidence_storage():
    return _evidence_storage


def evidence_path(instance, filename: str) -> str:
    # Never trust the uploaded name: keep only its extension (checked by the form).
    return f"credits/evidence/{instance.learner_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class RecognitionRequest(models.Model):
    class Kind(models.TextChoices):
        PRIOR_LEARNING = "prior_learning", _("Prior learning")
        OUTSIDE_CERTIFICATE = "outside_certificate", _("Outside certificate")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.PROTECT,
        related_name="recognition_requests",
    )
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution asked to recognise it"),
        on_delete=models.PROTECT, related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("what you learned or the certificate's name"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    requested_credits = models.DecimalField(
        _("credits requested"), max_digits=5, decimal_places=1, validators=[NON_NEGATIVE]
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, storage=evidence_storage, max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    granted_credits = models.DecimalField(
        _("credits granted"), max_digits=5, decimal_places=1, null=True, blank=True, validators=[NON_NEGATIVE]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recognition request")
        verbose_name_plural = _("recognition requests")
        permissions = [("decide_recognition", _("Can decide recognition requests for their institution"))]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

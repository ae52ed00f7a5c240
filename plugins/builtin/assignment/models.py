"""Submissions. One per learner and assignment (activity IRI); a new upload replaces the file until a
teacher has scored it, after which it is final."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    activity_iri = models.CharField(max_length=512)
    lesson_id = models.PositiveIntegerField(db_index=True)
    activity_id = models.CharField(max_length=64)
    file = models.FileField(_("file"), upload_to="assignments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    submitted_at = models.DateTimeField(_("submitted at"))
    score = models.FloatField(_("score"), null=True, blank=True)
    comment = models.TextField(_("teacher's comment"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment submission")
        verbose_name_plural = _("assignment submissions")
        constraints = [
            models.UniqueConstraint(fields=["learner", "activity_iri"], name="assignment_one_submission"),
        ]

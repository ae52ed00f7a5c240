"""Offering and Enrollment.

An ``Offering`` is the LMS's copy of a published course or training package, keyed by its activity
IRI (``lms`` never imports ``courses``; ``courses/sync_enrollment.py`` pushes them through
``api.publish_offering``/``withdraw_offering``). A withdrawn offering keeps its row (``is_published``
false) so existing enrolments and history stay; it refuses new enrolments.

Invariants: one ``Enrollment`` per (user, offering); an offering's active enrolments never exceed its
``quota`` — ``api.enrol`` counts them while holding a row lock on the offering, so concurrent requests
queue up rather than overshoot. Enrolling in a package also enrols in its member courses
(``source = package``, ``via_package`` set); member enrolments do not count against the package quota.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Offering(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        PACKAGE = "package", _("Training package")

    iri = models.CharField(_("activity IRI"), max_length=512, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("address"), max_length=512)
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    is_open = models.BooleanField(_("open for self-enrolment"), default=True)
    is_published = models.BooleanField(_("published"), default=True)
    member_iris = models.JSONField(_("member course IRIs"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")

    def __str__(self):
        return self.title


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        COHORT = "cohort", _("Enrolled by the institution")
        PACKAGE = "package", _("Part of a training package")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrollments")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.SELF)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    via_package = models.ForeignKey(Offering, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "offering"], name="enrollment_once_per_offering")]
        indexes = [models.Index(fields=["offering", "status"])]

    def __str__(self):
        return f"{self.user_id} → {self.offering_id}"

"""Profile: the platform's facts about a user that Django's User does not hold.

Invariants: a mobile number, when given, is the 11-digit mainland form and belongs to one person; a
person who signed up with a mobile number has it as their username too (``api.sign_up``). The role
decides the data scope (``api.scope_for``): officials need ``region``, institution staff
``institution``, centre admins ``centre`` (the Wagtail Site of their overseas learning centre).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.institutions.models import Institution, Region


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TEACHER = "teacher", _("Teacher")
    REVIEWER = "reviewer", _("Provincial reviewer")
    INSTITUTION_ADMIN = "institution_admin", _("Institution administrator")
    CITY_OFFICIAL = "city_official", _("City official")
    PROVINCE_OFFICIAL = "province_official", _("Province official")
    CENTRE_ADMIN = "centre_admin", _("Overseas centre administrator")


class LearnerType(models.TextChoices):
    STUDENT = "student", _("Student")
    FARMER = "farmer", _("Farmer")
    WORKER = "worker", _("Worker")
    SOCIAL = "social", _("Social learner")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    real_name = models.CharField(_("real name"), max_length=64)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True, null=True, unique=True)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.LEARNER)
    learner_type = models.CharField(
        _("learner type"), max_length=16, choices=LearnerType.choices, blank=True
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="residents",
    )
    centre = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("overseas learning centre"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.real_name or self.user.get_username()

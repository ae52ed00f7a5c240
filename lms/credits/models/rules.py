"""Rules credit officers edit in the admin; they turn completions and certificates into credit.

Courses and packages are Wagtail pages this app may not import, so rules name them by code (the
same code their activity IRI is built from). Each rule is valid over a date range; the rule in force
on the day the learning was completed applies. ``clean()`` refuses negative credit, cycles and two
rules that say different things about the same thing at the same time (see ``../rules.py``).
"""
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NON_NEGATIVE = MinValueValidator(Decimal("0"), message=_("Credit cannot be negative."))


class CertificateLevel(models.TextChoices):
    JUNIOR = "junior", _("Junior (初级)")
    INTERMEDIATE = "intermediate", _("Intermediate (中级)")
    SENIOR = "senior", _("Senior (高级)")


LEVEL_ORDER = {CertificateLevel.JUNIOR: 1, CertificateLevel.INTERMEDIATE: 2, CertificateLevel.SENIOR: 3}


class ValidityMixin(models.Model):
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: no end date."))

    class Meta:
        abstract = True

    def clean(self):
        from ..rules import validate_rule

        validate_rule(self)


class CourseCreditRule(ValidityMixin):
    """How a completed course becomes credit: the course's own credits, or its class hours divided by
    16–18 hours per credit. Blank institution and course code make the provincial default."""

    class Basis(models.TextChoices):
        DECLARED = "declared", _("The credits the course declares")
        HOURS = "hours", _("Class hours divided by hours per credit")

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+", help_text=_("Empty: every institution."),
    )
    course_code = models.CharField(_("course code"), max_length=32, blank=True, help_text=_("Empty: every course."))
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices, default=Basis.DECLARED)
    hours_per_credit = models.PositiveSmallIntegerField(
        _("class hours per credit"), default=16,
        validators=[
            MinValueValidator(16, message=_("Between 16 and 18 class hours make one credit.")),
            MaxValueValidator(18, message=_("Between 16 and 18 class hours make one credit.")),
        ],
    )

    class Meta:
        ordering = ["institution_id", "course_code", "valid_from"]
        verbose_name = _("course credit rule")
        verbose_name_plural = _("course credit rules")

    def __str__(self):
        scope = self.course_code or _("every course")
        return f"{self.institution or _('Province')} · {scope} · {self.get_basis_display()}"


class CertificateCreditRule(ValidityMixin):
    """Credit for a completed training package or a 1+X certificate, by its level."""

    class Kind(models.TextChoices):
        PACKAGE = "package", _("Training package")
        CERTIFICATE = "certificate", _("1+X certificate")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("package or certificate code"), max_length=48)
    skill_field = models.CharField(
        _("skill field"), max_length=128, blank=True,
        help_text=_("Rules of one skill field are compared: a higher level never earns fewer credits."),
    )
    level = models.CharField(_("level"), max_length=12, choices=CertificateLevel.choices)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1, validators=[NON_NEGATIVE])

    class Meta:
        ordering = ["kind", "skill_field", "level", "code"]
        verbose_name = _("package or certificate credit rule")
        verbose_name_plural = _("package and certificate credit rules")

    def __str__(self):
        return f"{self.get_kind_display()} {self.code} ({self.get_level_display()}): {self.credits}"


class MutualRecognitionRule(ValidityMixin):
    """学分互认: course X completed at institution A counts as course Y at institution B, at a ratio."""

    from_institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("from institution"), on_delete=models.CASCADE, related_name="+"
    )
    from_course_code = models.CharField(_("from course code"), max_length=32)
    to_institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("to institution"), on_delete=models.CASCADE, related_name="+"
    )
    to_course_code = models.CharField(_("to course code"), max_length=32)
    to_course_title = models.CharField(_("to course title"), max_length=255)
    ratio = models.DecimalField(
        _("ratio"), max_digits=4, decimal_places=2, default=Decimal("1.00"),
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("The ratio must be greater than 0.")),
            MaxValueValidator(Decimal("1.00"), message=_("The ratio cannot exceed 1: recognition never adds credit.")),
        ],
    )

    class Meta:
        ordering = ["from_institution_id", "from_course_code", "valid_from"]
        verbose_name = _("mutual recognition rule")
        verbose_name_plural = _("mutual recognition rules")

    def __str__(self):
        return f"{self.from_institution}:{self.from_course_code} → {self.to_institution}:{self.to_course_code}"


class ExemptionRule(ValidityMixin):
    """免修: a 1+X certificate at a level exempts its holder from some units of a course."""

    certificate_code = models.CharField(_("certificate code"), max_length=48)
    level = models.CharField(_("certificate level"), max_length=12, choices=CertificateLevel.choices)
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution of the course"), on_delete=models.CASCADE,
        related_name="+",
    )
    course_code = models.CharField(_("course code"), max_length=32)
    course_title = models.CharField(_("course title"), max_length=255)
    units = models.TextField(_("exempted units"), help_text=_("One unit per line."))
    credits = models.DecimalField(
        _("credits of the exempted units"), max_digits=5, decimal_places=1, validators=[NON_NEGATIVE]
    )

    class Meta:
        ordering = ["certificate_code", "course_code", "valid_from"]
        verbose_name = _("exemption rule")
        verbose_name_plural = _("exemption rules")

    def __str__(self):
        return f"{self.certificate_code} → {self.course_code}"

    @property
    def unit_list(self) -> list[str]:
        return [line.strip() for line in self.units.splitlines() if line.strip()]

"""Taxonomy snippets: industries, training programs, 1+X certificates, specialties, levels.

These are edited as Wagtail snippets by provincial staff; pages refer to them, so renaming an industry
renames it everywhere. Region and Institution live in ``lms.institutions`` (they scope people too).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    SECONDARY = "secondary", _("Secondary vocational (中职)")
    HIGHER = "higher", _("Higher vocational (高职)")
    BACHELOR = "bachelor", _("Vocational bachelor (职业本科)")
    SOCIAL = "social", _("Social training (社会培训)")


class Industry(models.Model):
    class Kind(models.TextChoices):
        FEATURED = "featured", _("Featured rural industry (牛羊菜果薯药)")
        GREEN = "green", _("Green ecological industry (十大生态产业)")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return self.name


class TrainingProgram(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("training program")
        verbose_name_plural = _("training programs")

    def __str__(self):
        return self.name


class SkillCertificate(models.Model):
    """A 1+X vocational skill level certificate: a skill field at one level."""

    class CertificateLevel(models.TextChoices):
        JUNIOR = "junior", _("Junior (初级)")
        INTERMEDIATE = "intermediate", _("Intermediate (中级)")
        SENIOR = "senior", _("Senior (高级)")

    code = models.SlugField(_("code"), max_length=48, unique=True)
    field_name = models.CharField(_("skill field"), max_length=128)
    level = models.CharField(_("level"), max_length=16, choices=CertificateLevel.choices)
    issuer = models.CharField(_("issuing organisation"), max_length=128, blank=True)

    class Meta:
        ordering = ["field_name", "level"]
        unique_together = [("field_name", "level")]
        verbose_name = _("1+X skill certificate")
        verbose_name_plural = _("1+X skill certificates")

    def __str__(self):
        return f"{self.field_name}（{self.get_level_display()}）"


class Specialty(models.Model):
    """A specialty (major), keyed by its code in the national vocational catalogue."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self):
        return self.name

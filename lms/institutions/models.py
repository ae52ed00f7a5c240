"""Region (province -> city -> county, GB/T 2260 codes) and Institution.

Invariants: a region's level is one below its parent's; a city carries the vocational-education
cluster it belongs to (configurable data, policy §11); counties inherit their city's cluster.
"""
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cluster(models.TextChoices):
    LONGZHONG = "longzhong", _("Longzhong (陇中)")
    HEXI = "hexi", _("Hexi Corridor (河西走廊)")
    LONGDONGNAN = "longdongnan", _("Longdongnan (陇东南)")


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City / prefecture")
        COUNTY = "county", _("County / district")

    code = models.CharField(
        _("GB/T 2260 code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("A GB/T 2260 code is six digits."))],
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    cluster = models.CharField(_("cluster"), max_length=16, choices=Cluster.choices, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    _PARENT_LEVEL = {"city": "province", "county": "city"}

    def clean(self):
        expected = self._PARENT_LEVEL.get(self.level)
        if self.level == self.Level.PROVINCE and self.parent_id:
            raise ValidationError({"parent": _("A province has no parent region.")})
        if expected and (self.parent is None or self.parent.level != expected):
            raise ValidationError({"parent": _("A %(level)s must sit inside a %(parent)s.") % {
                "level": self.get_level_display(), "parent": self.Level(expected).label}})

    @property
    def effective_cluster(self) -> str:
        """The cluster of this region, or of its city for a county."""
        if self.cluster or self.parent_id is None:
            return self.cluster
        return self.parent.cluster if self.level == self.Level.COUNTY else ""


class Institution(models.Model):
    class Kind(models.TextChoices):
        HIGHER_VOCATIONAL = "higher", _("Higher vocational college (高职)")
        SECONDARY_VOCATIONAL = "secondary", _("Secondary vocational school (中职)")
        VOCATIONAL_UNDERGRADUATE = "bachelor", _("Vocational undergraduate university (职业本科)")
        OPEN_UNIVERSITY = "open", _("Open university (开放大学)")
        ENTERPRISE = "enterprise", _("Enterprise training centre")
        GOVERNMENT = "government", _("Education authority")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, unique=True)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="institutions"
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.name

    @property
    def cluster(self) -> str:
        return self.region.effective_cluster

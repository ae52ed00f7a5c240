"""Summary tables for the dashboards, kept current incrementally.

- ``ContentItem``: what reports know of a published course, package, library or resource (pushed by
  ``courses`` on publish; the LMS may not import ``courses``), with its industry/program/certificate tags.
- ``DailyCount``: per day, metric and dimension key, a count and an amount (credits). The dimension key
  is a digest of the dimension columns so the upsert has one conflict target even when some are empty.
- ``LearnerDay``: one row per learner per active day, for distinct "active learners" over any period.
- ``PolicyTarget``: the province's targets (500 courses, 50 libraries, ...), editable by the province.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.institutions.models import Cluster, Institution


class ContentKind(models.TextChoices):
    COURSE = "course", _("Course")
    PACKAGE = "package", _("Training package")
    LIBRARY = "library", _("Resource library")
    RESOURCE = "resource", _("Resource")
    TEACHING_STANDARD = "teaching_standard", _("Teaching standard")


class ContentItem(models.Model):
    iri = models.CharField(max_length=512, unique=True)
    kind = models.CharField(max_length=24, choices=ContentKind.choices, db_index=True)
    title = models.CharField(max_length=255)
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cluster = models.CharField(max_length=16, choices=Cluster.choices, blank=True, db_index=True)
    is_quality = models.BooleanField(default=False)
    published = models.BooleanField(default=True, db_index=True)

    def __str__(self):
        return self.title


class ContentTag(models.Model):
    class Axis(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        PROGRAM = "program", _("Training program")
        CERTIFICATE = "certificate", _("1+X certificate")

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="tags")
    axis = models.CharField(max_length=16, choices=Axis.choices)
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=128)

    class Meta:
        unique_together = [("item", "axis", "code")]
        indexes = [models.Index(fields=["axis", "code"])]


class Metric(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolments")
    COMPLETED = "completed", _("Completions")
    CERTIFIED = "certified", _("Certificates")
    CREDITED = "credited", _("Credits")


class DailyCount(models.Model):
    day = models.DateField()
    metric = models.CharField(max_length=16, choices=Metric.choices)
    dimension_key = models.CharField(max_length=40)
    item = models.ForeignKey(ContentItem, null=True, on_delete=models.SET_NULL, related_name="+")
    city_code = models.CharField(max_length=6, blank=True)
    county_code = models.CharField(max_length=6, blank=True)
    learner_type = models.CharField(max_length=16, blank=True)
    learner_institution_id = models.BigIntegerField(null=True)
    count = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "metric", "dimension_key"], name="reports_dailycount_key")
        ]
        indexes = [
            models.Index(fields=["metric", "day"]),
            models.Index(fields=["city_code", "metric", "day"]),
            models.Index(fields=["item", "metric"]),
        ]


class LearnerDay(models.Model):
    day = models.DateField()
    learner_id = models.BigIntegerField()
    city_code = models.CharField(max_length=6, blank=True)
    county_code = models.CharField(max_length=6, blank=True)
    learner_type = models.CharField(max_length=16, blank=True)
    learner_institution_id = models.BigIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "learner_id"], name="reports_learnerday_key")]
        indexes = [models.Index(fields=["day", "city_code"])]


class PolicyTarget(models.Model):
    """A number the policy sets and what kind of content counts towards it."""

    code = models.SlugField(_("code"), max_length=48)
    label = models.CharField(_("label"), max_length=128)
    content_kind = models.CharField(_("counts"), max_length=24, choices=ContentKind.choices, blank=True)
    quality_only = models.BooleanField(_("only quality content counts"), default=False)
    cluster = models.CharField(_("cluster"), max_length=16, choices=Cluster.choices, blank=True)
    target = models.PositiveIntegerField(_("target"))
    deadline_year = models.PositiveSmallIntegerField(_("deadline year"), null=True, blank=True)

    class Meta:
        ordering = ["code", "cluster"]
        unique_together = [("code", "cluster")]
        verbose_name = _("policy target")
        verbose_name_plural = _("policy targets")

    def __str__(self):
        return f"{self.label} ({self.get_cluster_display() or _('province')})"

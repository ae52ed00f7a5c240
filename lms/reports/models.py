"""Summary tables for the dashboards, kept current incrementally.

- ``ContentItem``: what reports know of a published course, package, library or resource (pushed by
  ``courses`` on publish; the LMS may not import ``courses``), with its industry/program/certificate tags.
- ``SummaryCount``: additive counters (enrolments, completions, certificates, credits) per day and per
  month for each grouping set of the dimensions, so a dashboard sums a few thousand rows, not events.
- ``LearnerDay`` and ``ActiveLearnerSet``: who was active when, as rows and as bitmaps per day and month,
  for exact distinct "active learners" over any period.
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


class SummaryCount(models.Model):
    """An additive counter: events of one metric in one day or month, for one grouping set.

    Every event is added to two grains (its day and its month) and to every grouping set of the
    dimensions officials filter and drill by (see ``rollups.COUNT_GROUPINGS``), so a dashboard reads
    the smallest set that holds its dimensions instead of summing one row per event. Dimensions outside
    the grouping are stored empty (``""`` or ``0``) so one unique key serves every grouping.
    """

    grain = models.CharField(max_length=1)  # "d" day, "m" month
    period = models.DateField()  # the day, or the first day of the month
    metric = models.CharField(max_length=16, choices=Metric.choices)
    grouping = models.PositiveSmallIntegerField()  # bit set of rollups.COUNTY, LEARNER_TYPE, ITEM
    city_code = models.CharField(max_length=6, blank=True)
    county_code = models.CharField(max_length=6, blank=True)
    learner_type = models.CharField(max_length=16, blank=True)
    item_id = models.IntegerField(default=0)  # ContentItem id; 0 when not grouped by content or unknown
    count = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "metric", "grouping", "city_code", "county_code", "learner_type",
                        "item_id"],
                name="reports_summarycount_key",
            )
        ]
        indexes = [
            models.Index(fields=["grouping", "grain", "period"], name="reports_sc_period"),
            models.Index(fields=["grouping", "grain", "city_code", "period"], name="reports_sc_city"),
            models.Index(fields=["grouping", "grain", "item_id", "period"], name="reports_sc_item"),
        ]


class LearnerDay(models.Model):
    """One row per learner per active day: the exact record behind the active-learner sets.

    Rows arrive with ``folded=False`` and are folded into ``ActiveLearnerSet`` in bulk; until then
    dashboards add them on the fly, so the numbers are current either way.
    """

    day = models.DateField()
    learner_id = models.BigIntegerField()
    city_code = models.CharField(max_length=6, blank=True)
    county_code = models.CharField(max_length=6, blank=True)
    learner_type = models.CharField(max_length=16, blank=True)
    learner_institution_id = models.BigIntegerField(null=True)
    folded = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "learner_id"], name="reports_learnerday_key")]
        indexes = [
            models.Index(fields=["day", "city_code"]),
            models.Index(fields=["day"], condition=models.Q(folded=False), name="reports_learnerday_unfolded"),
            models.Index(fields=["learner_institution_id", "day"], name="reports_learnerday_inst"),
        ]


class ActiveLearnerSet(models.Model):
    """The exact set of learners active in one day or month for one grouping, as a roaring bitmap.

    Distinct counts do not add up across days, but sets do: a dashboard unions the sets of the months
    (and edge days) in its range, per bucket and per breakdown key, and counts the union.
    """

    key = models.CharField(max_length=96, unique=True)  # rollups.active_key(): one column to lock and upsert by
    grain = models.CharField(max_length=1)
    period = models.DateField()
    grouping = models.PositiveSmallIntegerField()  # bit set of COUNTY, LEARNER_TYPE, LEARNER_INSTITUTION
    city_code = models.CharField(max_length=6, blank=True)
    county_code = models.CharField(max_length=6, blank=True)
    learner_type = models.CharField(max_length=16, blank=True)
    learner_institution_id = models.BigIntegerField(default=0)
    learners = models.BinaryField(default=b"")
    size = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["grouping", "grain", "period"], name="reports_as_period"),
            models.Index(fields=["grouping", "grain", "city_code", "period"], name="reports_as_city"),
            models.Index(fields=["grouping", "grain", "learner_institution_id", "period"], name="reports_as_inst"),
        ]


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

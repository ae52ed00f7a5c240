"""Dashboard queries over the summary tables: totals, a trend, a breakdown and a funnel.

Each dashboard is four aggregate queries (plus one for labels) whatever the size of the province,
because every metric is a conditional sum over ``DailyCount`` rows already grouped by day and dimension.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, DecimalField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek, TruncYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.institutions.models import Cluster, Institution, Region

from .models import ContentItem, DailyCount, LearnerDay, Metric, PolicyTarget
from .scope import ReportScope

PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}

# group_by -> (fields to group on, field holding the label or None, is a learner dimension)
DIMENSIONS = {
    "city": ("city_code", None, True),
    "county": ("county_code", None, True),
    "learner_type": ("learner_type", None, True),
    "cluster": ("item__cluster", None, False),
    "institution": ("item__institution_id", "item__institution__name", False),
    "course": ("item_id", "item__title", False),
    "industry": ("item__tags__code", "item__tags__label", False),
    "program": ("item__tags__code", "item__tags__label", False),
}
DIMENSION_LABELS = {
    "city": _("City"), "county": _("County"), "learner_type": _("Learner type"), "cluster": _("Cluster"),
    "institution": _("Institution"), "course": _("Course or package"), "industry": _("Industry"),
    "program": _("Training program"),
}
# Clicking a row narrows to it and shows the next level down.
DRILL = {"city": "county", "cluster": "institution", "institution": "course", "industry": "course",
         "program": "course"}
LEARNER_TYPES = {"student": _("Student"), "farmer": _("Farmer"), "worker": _("Worker"), "social": _("Social learner")}


@dataclass
class DashboardQuery:
    period: str = "month"
    start: date | None = None
    end: date | None = None
    group_by: str = "city"
    city: str = ""
    county: str = ""
    cluster: str = ""
    institution: int | None = None
    course: int | None = None
    industry: str = ""
    program: str = ""
    learner_type: str = ""

    FILTERS = ("city", "county", "cluster", "institution", "course", "industry", "program", "learner_type")

    @classmethod
    def from_params(cls, params) -> DashboardQuery:
        """Parse the dashboard's query string; raise ValidationError with a message a person can act on."""
        errors = {}
        query = cls()
        today = timezone.localdate()
        query.period = params.get("period") or "month"
        if query.period not in PERIODS:
            errors["period"] = _("Period must be one of day, week, month, year.")
        query.group_by = params.get("group_by") or "city"
        if query.group_by not in DIMENSIONS:
            errors["group_by"] = _("Unknown breakdown %(value)s.") % {"value": query.group_by[:40]}
        for name in ("start", "end"):
            raw = params.get(name)
            if raw:
                try:
                    setattr(query, name, date.fromisoformat(raw))
                except ValueError:
                    errors[name] = _("Dates are written YYYY-MM-DD.")
        query.end = query.end or today
        query.start = query.start or query.end - timedelta(days=365)
        if query.start > query.end:
            errors["start"] = _("The start date is after the end date.")
        if (query.end - query.start).days > 366 * 10:
            errors["start"] = _("A dashboard covers at most ten years.")
        for name in ("city", "county"):
            value = (params.get(name) or "").strip()
            if value and not (value.isdigit() and len(value) == 6):
                errors[name] = _("A region is given by its six-digit GB/T 2260 code.")
            setattr(query, name, value)
        for name in ("institution", "course"):
            value = (params.get(name) or "").strip()
            if value:
                if not value.isdigit():
                    errors[name] = _("Not a valid identifier.")
                else:
                    setattr(query, name, int(value))
        query.cluster = (params.get("cluster") or "").strip()
        if query.cluster and query.cluster not in Cluster.values:
            errors["cluster"] = _("Unknown cluster.")
        query.learner_type = (params.get("learner_type") or "").strip()
        if query.learner_type and query.learner_type not in LEARNER_TYPES:
            errors["learner_type"] = _("Unknown learner type.")
        query.industry = (params.get("industry") or "").strip()[:64]
        query.program = (params.get("program") or "").strip()[:64]
        if errors:
            raise ValidationError(errors)
        return query

    def as_params(self, **changes) -> dict:
        values = {"period": self.period, "start": self.start.isoformat(), "end": self.end.isoformat(),
                  "group_by": self.group_by}
        values.update({name: getattr(self, name) for name in self.FILTERS if getattr(self, name)})
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None)}


@dataclass
class Dashboard:
    query: DashboardQuery
    scope: ReportScope
    totals: dict
    trend: list[dict]
    rows: list[dict]
    funnel: list[tuple[str, int]]
    dimension_label: str = ""
    drill_to: str | None = None
    columns: list[tuple[str, str]] = field(default_factory=list)


def _check_scope(scope: ReportScope, query: DashboardQuery) -> None:
    """Refuse, rather than silently empty, a request for numbers outside the caller's scope."""
    if query.city and not scope.allows_city(query.city):
        raise PermissionDenied(_("You may only see figures for %(scope)s.") % {"scope": scope.label})
    if query.county and not scope.allows_county(query.county):
        raise PermissionDenied(_("You may only see figures for %(scope)s.") % {"scope": scope.label})
    if query.institution and not scope.allows_institution(query.institution):
        raise PermissionDenied(_("You may only see figures for %(scope)s.") % {"scope": scope.label})
    if query.course and scope.kind == "institution" and not ContentItem.objects.filter(
        pk=query.course, institution_id=scope.institution_id
    ).exists():
        raise PermissionDenied(_("You may only see figures for %(scope)s.") % {"scope": scope.label})


def _counts(scope: ReportScope, query: DashboardQuery):
    rows = DailyCount.objects.filter(day__range=(query.start, query.end))
    if scope.kind == "city":
        rows = rows.filter(city_code=scope.city_code)
    elif scope.kind == "institution":
        rows = rows.filter(item__institution_id=scope.institution_id)
    simple = {"city": "city_code", "county": "county_code", "cluster": "item__cluster",
              "institution": "item__institution_id", "course": "item_id", "learner_type": "learner_type"}
    for name, lookup in simple.items():
        if getattr(query, name):
            rows = rows.filter(**{lookup: getattr(query, name)})
    for axis in ("industry", "program"):
        if getattr(query, axis):
            rows = rows.filter(item__in=ContentItem.objects.filter(tags__axis=axis, tags__code=getattr(query, axis)))
    return rows


def _active_learners(scope: ReportScope, query: DashboardQuery):
    """Distinct active learners, or None when a content filter makes the number meaningless."""
    if any([query.cluster, query.course, query.industry, query.program, query.institution]):
        return None
    days = LearnerDay.objects.filter(day__range=(query.start, query.end))
    if scope.kind == "city":
        days = days.filter(city_code=scope.city_code)
    elif scope.kind == "institution":
        days = days.filter(learner_institution_id=scope.institution_id)
    for name, lookup in (("city", "city_code"), ("county", "county_code"), ("learner_type", "learner_type")):
        if getattr(query, name):
            days = days.filter(**{lookup: getattr(query, name)})
    return days


def _metric_sums():
    def total(metric, column="count"):
        output = DecimalField(max_digits=14, decimal_places=2) if column == "amount" else IntegerField()
        return Coalesce(Sum(Case(When(metric=metric, then=column), default=Value(0), output_field=output)),
                        Value(0), output_field=output)

    return {
        "enrolled": total(Metric.ENROLLED), "completed": total(Metric.COMPLETED),
        "certified": total(Metric.CERTIFIED), "credits": total(Metric.CREDITED, "amount"),
        "credited": total(Metric.CREDITED),
    }


def _rate(row: dict) -> float | None:
    return round(100 * row["completed"] / row["enrolled"], 1) if row["enrolled"] else None


def build_dashboard(scope: ReportScope, query: DashboardQuery) -> Dashboard:
    _check_scope(scope, query)
    counts = _counts(scope, query)
    sums = _metric_sums()
    totals = counts.aggregate(**sums)
    active = _active_learners(scope, query)
    totals["active"] = active.values("learner_id").distinct().count() if active is not None else None
    totals["rate"] = _rate(totals)

    bucket = PERIODS[query.period]("day")
    trend = list(counts.annotate(bucket=bucket).values("bucket").annotate(**sums).order_by("bucket"))
    if active is not None:
        actives = dict(active.annotate(bucket=bucket).values("bucket")
                       .annotate(n=Count("learner_id", distinct=True)).values_list("bucket", "n"))
        for point in trend:
            point["active"] = actives.get(point["bucket"], 0)

    group_field, label_field, is_learner_dim = DIMENSIONS[query.group_by]
    fields = [group_field] + ([label_field] if label_field else [])
    grouped = counts
    if query.group_by in ("industry", "program"):
        # Only the breakdown joins the tags; totals and the trend stay single-table sums.
        grouped = counts.filter(item__tags__axis=query.group_by)
    rows = list(grouped.values(*fields).annotate(**sums).order_by("-enrolled", group_field))
    if is_learner_dim and active is not None:
        per_key = dict(active.values(group_field).annotate(n=Count("learner_id", distinct=True))
                       .values_list(group_field, "n"))
    else:
        per_key = {}
    labels = _labels(query.group_by, [row[group_field] for row in rows])
    for row in rows:
        key = row[group_field]
        row["key"] = key
        row["label"] = row.get(label_field) if label_field else labels.get(key, key) or _("(not given)")
        row["active"] = per_key.get(key) if per_key else None
        row["rate"] = _rate(row)
    funnel = [
        (_("Enrolled"), totals["enrolled"]), (_("Active"), totals["active"] or 0),
        (_("Completed"), totals["completed"]), (_("Certified"), totals["certified"]),
        (_("Credited"), totals["credited"]),
    ]
    return Dashboard(
        query=query, scope=scope, totals=totals, trend=trend, rows=rows, funnel=funnel,
        dimension_label=DIMENSION_LABELS[query.group_by], drill_to=DRILL.get(query.group_by),
        columns=table_columns(query.group_by),
    )


def table_columns(group_by: str) -> list[tuple[str, str]]:
    """The breakdown table's columns, shared by the page and the exports so they cannot differ."""
    return [
        ("label", DIMENSION_LABELS[group_by]), ("enrolled", _("Enrolments")), ("active", _("Active learners")),
        ("completed", _("Completions")), ("rate", _("Completion rate (%)")), ("certified", _("Certificates")),
        ("credits", _("Credits")),
    ]


def _labels(group_by: str, keys: list) -> dict:
    if group_by in ("city", "county"):
        return dict(Region.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))
    if group_by == "cluster":
        return dict(Cluster.choices)
    if group_by == "learner_type":
        return LEARNER_TYPES
    return {}


def content_holdings(scope: ReportScope) -> list[dict]:
    """Policy targets against published content, per target (and cluster where the target has one)."""
    targets = list(PolicyTarget.objects.all())
    items = ContentItem.objects.filter(published=True)
    if scope.kind == "institution":
        items = items.filter(institution_id=scope.institution_id)
    elif scope.kind == "city":
        items = items.filter(institution__region__code=scope.city_code) | items.filter(
            institution__region__parent__code=scope.city_code)
    counts = {}
    for row in items.values("kind", "cluster", "is_quality").annotate(n=Count("id")):
        counts[(row["kind"], row["cluster"], row["is_quality"])] = row["n"]
    result = []
    for target in targets:
        held = sum(
            n for (kind, cluster, quality), n in counts.items()
            if kind == target.content_kind and (not target.cluster or cluster == target.cluster)
            and (quality or not target.quality_only)
        ) if target.content_kind else None
        percent = round(100 * held / target.target, 1) if held is not None and target.target else None
        result.append({"target": target, "held": held, "percent": min(percent, 100) if percent else percent,
                       "raw_percent": percent})
    return result


def institutions_in_scope(scope: ReportScope):
    institutions = Institution.objects.order_by("code")
    if scope.kind == "institution":
        return institutions.filter(pk=scope.institution_id)
    if scope.kind == "city":
        return institutions.filter(Q(region__code=scope.city_code) | Q(region__parent__code=scope.city_code))
    return institutions

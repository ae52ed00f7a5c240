"""Dashboard queries over the summary tables: totals, a trend, a breakdown and a funnel.

A dashboard reads the one grouping of ``SummaryCount`` that holds its dimensions, whole months at month
grain and edge days at day grain (``rollups.spans``), and unions ``ActiveLearnerSet`` bitmaps for exact
distinct active learners. A handful of queries, whatever the size of the province.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, DecimalField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pyroaring import BitMap

from lms.institutions.models import Cluster, Institution, Region

from . import rollups
from .models import ActiveLearnerSet, ContentItem, ContentTag, LearnerDay, Metric, PolicyTarget, SummaryCount
from .scope import ReportScope

PERIODS = ("day", "week", "month", "year")

DIMENSION_LABELS = {
    "city": _("City"), "county": _("County"), "learner_type": _("Learner type"), "cluster": _("Cluster"),
    "institution": _("Institution"), "course": _("Course or package"), "industry": _("Industry"),
    "program": _("Training program"),
}
DIMENSIONS = tuple(DIMENSION_LABELS)
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
        # The last twelve months: whole months, so the default dashboard reads month rows only.
        query.start = query.start or _months_before(query.end, 11)
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


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


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


@dataclass
class _Plan:
    """Which summary rows a dashboard reads: groupings, filters and the date spans."""

    count_grouping: int  # for the breakdown (filters + breakdown dimension)
    trend_grouping: int  # for the trend and totals (filters only)
    count_filters: Q
    active_filters: dict | None  # None: active learners make no sense with a content filter
    active_grouping: int = 0
    active_trend_grouping: int = 0


def _items(scope: ReportScope, query: DashboardQuery):
    """Content ids the filters and scope narrow to, or None when no content filter applies."""
    items = ContentItem.objects.all()
    narrowed = False
    if scope.kind == "institution":
        items, narrowed = items.filter(institution_id=scope.institution_id), True
    for name, lookup in (("cluster", "cluster"), ("institution", "institution_id"), ("course", "pk")):
        if getattr(query, name):
            items, narrowed = items.filter(**{lookup: getattr(query, name)}), True
    for axis in ("industry", "program"):
        if getattr(query, axis):
            items, narrowed = items.filter(tags__axis=axis, tags__code=getattr(query, axis)), True
    return list(items.values_list("pk", flat=True)) if narrowed else None


def _plan(scope: ReportScope, query: DashboardQuery) -> _Plan:
    region = bool(scope.kind == "city" or query.city or query.county)
    kind = bool(query.learner_type)
    item_ids = _items(scope, query)
    filters = Q()
    if scope.kind == "city":
        filters &= Q(city_code=scope.city_code)
    for name, column in (("city", "city_code"), ("county", "county_code"), ("learner_type", "learner_type")):
        if getattr(query, name):
            filters &= Q(**{column: getattr(query, name)})
    active_filters = dict(filters.children)
    if item_ids is not None:
        filters &= Q(item_id__in=item_ids)
    base = (rollups.COUNTY if region else 0) | (rollups.LEARNER_TYPE if kind else 0)
    by = {"city": rollups.COUNTY, "county": rollups.COUNTY, "learner_type": rollups.LEARNER_TYPE}
    dimension = by.get(query.group_by, rollups.ITEM)
    content = rollups.ITEM if item_ids is not None else 0
    plan = _Plan(count_grouping=base | content | dimension, trend_grouping=base | content,
                 count_filters=filters, active_filters=None)
    content_filtered = any([query.cluster, query.course, query.industry, query.program, query.institution])
    if not content_filtered:
        active_base = base
        if scope.kind == "institution":
            active_filters["learner_institution_id"] = scope.institution_id
            active_base = rollups.INSTITUTION_GROUPING
        plan.active_filters = active_filters
        plan.active_trend_grouping = active_base
        plan.active_grouping = active_base | (dimension if dimension != rollups.ITEM else 0)
    return plan


def _span_filter(spans) -> Q:
    condition = Q()
    for grain, first, last in spans:
        condition |= Q(grain=grain, period__range=(first, last))
    return condition


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


METRICS = ("enrolled", "completed", "certified", "credits", "credited")


def _rate(row: dict) -> float | None:
    return round(100 * row["completed"] / row["enrolled"], 1) if row["enrolled"] else None


def _bucket_of(period: str):
    if period == "day":
        return lambda d: d
    if period == "week":
        return lambda d: d - timedelta(days=d.weekday())
    if period == "month":
        return lambda d: d.replace(day=1)
    return lambda d: d.replace(month=1, day=1)


def _trend_counts(plan: _Plan, spans, bucket) -> dict:
    rows = (SummaryCount.objects.filter(_span_filter(spans), plan.count_filters, grouping=plan.trend_grouping)
            .values("period").annotate(**_metric_sums()))
    trend: dict = {}
    for row in rows:
        point = trend.setdefault(bucket(row["period"]), dict.fromkeys(METRICS, 0))
        for metric in METRICS:
            point[metric] += row[metric]
    return trend


def _active_sets(grouping: int, filters: dict, spans, key_field: str | None):
    """(period, key, bitmap) from the stored sets, plus learner-days the sets do not hold (yet)."""
    as_rows, unfolded, from_sets = Q(), Q(), []
    for grain, first, last in spans:
        if grain == rollups.DAY and grouping & rollups.LEARNER_INSTITUTION:
            as_rows |= Q(day__range=(first, last))  # no day sets per institution: its learner-days are few
        else:
            from_sets.append((grain, first, last))
            unfolded |= Q(day__range=(first, rollups.month_last(last) if grain == rollups.MONTH else last))
    columns = ([key_field] if key_field else [])
    if from_sets:
        rows = ActiveLearnerSet.objects.filter(_span_filter(from_sets), grouping=grouping, **filters)
        for values in rows.values_list("period", *columns, "learners"):
            yield values[0], values[1] if key_field else None, BitMap.deserialize(bytes(values[-1]))
        # Learner-days not folded yet are a handful (the folder runs every few seconds). They are read by
        # the partial index alone and filtered here, so the planner never scans a year of learner-days.
        wanted = list(filters.items())
        names = [name for name, _value in wanted]
        for values in LearnerDay.objects.filter(unfolded, folded=False).values_list(
                "day", "learner_id", *names, *columns):
            if all(values[2 + n] == value for n, (_name, value) in enumerate(wanted)):
                yield values[0], values[-1] if key_field else None, BitMap([values[1]])
    if as_rows:
        for values in LearnerDay.objects.filter(as_rows, **filters).values_list("day", *columns, "learner_id"):
            yield values[0], values[1] if key_field else None, BitMap([values[-1]])


def _union_by(sets, key) -> dict:
    unions: dict = defaultdict(BitMap)
    for period, dimension, learners in sets:
        unions[key(period, dimension)] |= learners
    return {k: len(v) for k, v in unions.items()}


def build_dashboard(scope: ReportScope, query: DashboardQuery) -> Dashboard:
    _check_scope(scope, query)
    plan = _plan(scope, query)
    today = timezone.localdate()
    by_day = query.period in ("day", "week")
    bucket = _bucket_of(query.period)
    trend_spans = rollups.spans(query.start, query.end, today, by_day=by_day)
    range_spans = rollups.spans(query.start, query.end, today)

    points = _trend_counts(plan, trend_spans, bucket)
    totals = {metric: sum(point[metric] for point in points.values()) for metric in METRICS}
    totals["active"] = None
    if plan.active_filters is not None:
        sets = list(_active_sets(plan.active_trend_grouping, plan.active_filters, trend_spans, None))
        per_bucket = _union_by(sets, lambda period, _d: bucket(period))
        totals["active"] = _union_by(sets, lambda _p, _d: "all").get("all", 0)
        for point_bucket in per_bucket.keys() - points.keys():
            points[point_bucket] = dict.fromkeys(METRICS, 0)
        for point_bucket, point in points.items():
            point["active"] = per_bucket.get(point_bucket, 0)
    totals["rate"] = _rate(totals)
    trend = [{"bucket": key, **points[key]} for key in sorted(points)]

    rows = _breakdown(plan, query, range_spans)
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


LEARNER_COLUMNS = {"city": "city_code", "county": "county_code", "learner_type": "learner_type"}


def _breakdown(plan: _Plan, query: DashboardQuery, spans) -> list[dict]:
    column = LEARNER_COLUMNS.get(query.group_by, "item_id")
    counted = (SummaryCount.objects.filter(_span_filter(spans), plan.count_filters, grouping=plan.count_grouping)
               .values(column).annotate(**_metric_sums()))
    keyed, labels = _regroup(query.group_by, [(row[column], row) for row in counted])
    active = None
    if plan.active_filters is not None and query.group_by in LEARNER_COLUMNS:
        sets = _active_sets(plan.active_grouping, plan.active_filters, spans, column)
        active = _union_by(sets, lambda _p, dimension: dimension)
    rows = []
    for key, sums in keyed.items():
        label = labels.get(key, key) if key not in ("", None, 0) else None
        row = {**sums, "key": key, "label": label or _("(not given)"),
               "active": active.get(key, 0) if active is not None else None}
        row["rate"] = _rate(row)
        rows.append(row)
    rows.sort(key=lambda r: (-r["enrolled"], str(r["key"])))
    return rows


def _regroup(group_by: str, counted: list[tuple]) -> tuple[dict, dict]:
    """Sum counted rows by the breakdown key; content dimensions are mapped from the item in Python."""
    if group_by in LEARNER_COLUMNS:
        keys = [key for key, _row in counted]
        return {key: {m: row[m] for m in METRICS} for key, row in counted}, _labels(group_by, keys)
    item_ids = [key for key, _row in counted if key]
    items = {pk: (title, institution, institution_name, cluster) for pk, title, institution, institution_name, cluster
             in ContentItem.objects.filter(pk__in=item_ids).values_list(
                 "pk", "title", "institution_id", "institution__name", "cluster")}
    tags = defaultdict(list)
    if group_by in ("industry", "program"):
        for item_id, code, label in ContentTag.objects.filter(item_id__in=item_ids, axis=group_by).values_list(
                "item_id", "code", "label"):
            tags[item_id].append((code, label))
    merged, labels = {}, {}
    for item_id, row in counted:
        title, institution, institution_name, cluster = items.get(item_id, ("", None, "", ""))
        if group_by == "course":
            pairs = [(item_id or None, title)]
        elif group_by == "institution":
            pairs = [(institution, institution_name)]
        elif group_by == "cluster":
            pairs = [(cluster, dict(Cluster.choices).get(cluster, cluster))]
        else:  # an item counts under each of its industries or programs, as the tags say
            pairs = tags.get(item_id, [])
        for key, label in pairs:
            _add(merged, key, row)
            labels[key] = label
    return merged, labels


def _add(merged: dict, key, row) -> None:
    target = merged.setdefault(key, dict.fromkeys(METRICS, 0))
    for metric in METRICS:
        target[metric] += row[metric]


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

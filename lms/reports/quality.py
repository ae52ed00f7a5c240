"""Data for an institution's yearly quality report (质量年报): holdings and training for one year."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from . import rollups
from .models import ContentItem, Metric, SummaryCount
from .queries import LEARNER_TYPES


def report_rows(institution, year: int) -> tuple[list[str], list[list]]:
    items = ContentItem.objects.filter(institution=institution, published=True)
    held = dict(items.values_list("kind").annotate(n=Count("id")))
    quality_courses = items.filter(kind="course", is_quality=True).count()
    # Month rows of the content x learner-type grouping: twelve per course, metric and learner type.
    counts = SummaryCount.objects.filter(
        grain=rollups.MONTH, grouping=rollups.ITEM | rollups.LEARNER_TYPE,
        item_id__in=ContentItem.objects.filter(institution=institution).values("pk"),
        period__range=(date(year, 1, 1), date(year, 12, 1)),
    )
    by_metric = {row["metric"]: row for row in counts.values("metric").annotate(n=Sum("count"), a=Sum("amount"))}
    by_type = {
        (row["learner_type"], row["metric"]): row["n"]
        for row in counts.values("learner_type", "metric").annotate(n=Sum("count"))
    }

    def n(metric):
        return (by_metric.get(metric) or {}).get("n") or 0

    enrolled, completed = n(Metric.ENROLLED), n(Metric.COMPLETED)
    rows = [
        [_("Institution"), institution.name], [_("Year"), year],
        [_("Published courses"), held.get("course", 0)], [_("Provincial quality courses"), quality_courses],
        [_("Resource libraries"), held.get("library", 0)], [_("Library resources"), held.get("resource", 0)],
        [_("Training packages"), held.get("package", 0)],
        [_("Enrolments"), enrolled], [_("Completions"), completed],
        [_("Completion rate (%)"), round(100 * completed / enrolled, 1) if enrolled else ""],
        [_("Certificates"), n(Metric.CERTIFIED)],
        [_("Credits awarded"), str((by_metric.get(Metric.CREDITED) or {}).get("a") or 0)],
    ]
    for code, label in LEARNER_TYPES.items():
        rows.append([_("Enrolments: %(type)s") % {"type": label}, by_type.get((code, Metric.ENROLLED), 0)])
    return [_("Item"), _("Value")], rows

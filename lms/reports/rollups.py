"""Roll-ups behind the dashboards: where each event is added, and how a date range is read back.

Every counted event lands in two grains (its day and its month) and in every grouping set of the
dimensions (``COUNT_GROUPINGS``). A dashboard then reads the one grouping that holds the dimensions it
filters and breaks down by, whole months at month grain and only the edge days at day grain, so it sums
thousands of rows at province scale instead of one per event. Active learners are sets, not sums: they
are kept as roaring bitmaps per day/month and grouping, unioned at read time (exact distinct counts).
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

# Grouping bits. Region grouping is by county and also carries the city, so "by city" sums county rows.
COUNTY, LEARNER_TYPE, ITEM, LEARNER_INSTITUTION = 1, 2, 4, 8
COUNT_GROUPINGS = tuple(range(8))  # every subset of COUNTY | LEARNER_TYPE | ITEM
ACTIVE_GROUPINGS = (0, COUNTY, LEARNER_TYPE, COUNTY | LEARNER_TYPE)
# Institution-scoped dashboards read the finest set, filtered by institution, and union the rest in Python.
# Only month sets exist for it: at day grain an institution's learner-days are few enough to read as rows.
INSTITUTION_GROUPING = COUNTY | LEARNER_TYPE | LEARNER_INSTITUTION
DAY, MONTH = "d", "m"


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_last(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return month_last(day) + timedelta(days=1)


def count_keys(metric: str, day: date, dims: dict, item_id: int | None):
    """Every summary row one event adds to: (grain, period, metric, grouping, city, county, type, item)."""
    for grain, period in ((DAY, day), (MONTH, month_of(day))):
        for grouping in COUNT_GROUPINGS:
            region = grouping & COUNTY
            yield (grain, period, metric, grouping,
                   dims["city_code"] if region else "", dims["county_code"] if region else "",
                   dims["learner_type"] if grouping & LEARNER_TYPE else "",
                   (item_id or 0) if grouping & ITEM else 0)


def summary_rows(events) -> list[tuple]:
    """Fold (metric, day, dims, item_id, count, amount) events into sorted rows of key + (count, amount).

    Sorted so concurrent writers lock rows in the same order (no deadlocks), and one row per key so a
    multi-row upsert never touches a row twice.
    """
    totals = defaultdict(lambda: [0, Decimal(0)])
    for metric, day, dims, item_id, count, amount in events:
        for key in count_keys(metric, day, dims, item_id):
            total = totals[key]
            total[0] += count
            total[1] += Decimal(amount)
    return sorted((*key, count, amount) for key, (count, amount) in totals.items())


def active_keys(day: date, dims: dict):
    """The active-learner sets one learner-day belongs to: (key, grain, period, grouping, city, county,
    type, institution)."""
    institution = dims["learner_institution_id"] or 0
    for grain, period in ((DAY, day), (MONTH, month_of(day))):
        extra = (INSTITUTION_GROUPING,) if grain == MONTH and institution else ()
        for grouping in ACTIVE_GROUPINGS + extra:
            region = grouping & COUNTY
            fields = (grain, period, grouping, dims["city_code"] if region else "",
                      dims["county_code"] if region else "",
                      dims["learner_type"] if grouping & LEARNER_TYPE else "",
                      institution if grouping & LEARNER_INSTITUTION else 0)
            yield ("|".join(str(v) for v in fields), *fields)


def spans(start: date, end: date, today: date, *, by_day: bool = False) -> list[tuple[str, date, date]]:
    """The (grain, first, last) ranges that cover [start, end] exactly with the fewest rows.

    Whole months come from month rows and the edge days from day rows. Nothing is counted after today
    (event days are clamped), so a range ending today or later may take the current month whole.
    """
    if by_day:
        return [(DAY, start, end)]
    covered_to = end if end < today else month_last(end)
    first = start if start.day == 1 else next_month(start)
    months = []
    month = first
    while month_last(month) <= covered_to:
        months.append(month)
        month = next_month(month)
    if not months:
        return [(DAY, start, end)]
    result = [(MONTH, months[0], months[-1])]
    if start < months[0]:
        result.append((DAY, start, months[0] - timedelta(days=1)))
    after = month_last(months[-1]) + timedelta(days=1)
    if after <= end:
        result.append((DAY, after, end))
    return result

"""Public interface of the reports app: feed the summary tables, read the dashboards.

Writes are upserts that add to a counter, so each event costs one statement however much history
there is, and replays of the same event are the caller's job to avoid (completions, certificates and
ledger entries each arrive exactly once from their own apps).
"""
from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from lms.accounts import api as accounts

from .models import ContentItem, ContentTag, DailyCount, LearnerDay, Metric
from .queries import Dashboard, DashboardQuery, build_dashboard, content_holdings
from .scope import ReportScope, scope_for

__all__ = [
    "Dashboard", "DashboardQuery", "Metric", "ReportScope", "build_dashboard", "content_holdings", "count_event",
    "describe_content", "grant_dashboard_access", "record_active_learners", "scope_for", "withdraw_content",
]


@transaction.atomic
def describe_content(
    *, iri: str, kind: str, title: str, institution_id: int | None, cluster: str = "",
    is_quality: bool = False, tags: list[tuple[str, str, str]] = (),
) -> None:
    """Tell reports about a published course, package, library or resource; idempotent by IRI.

    ``tags`` are (axis, code, label) triples: axis is industry, program or certificate.
    """
    item, _ = ContentItem.objects.update_or_create(iri=iri, defaults={
        "kind": kind, "title": title[:255], "institution_id": institution_id, "cluster": cluster or "",
        "is_quality": is_quality, "published": True,
    })
    wanted = {(axis, code): label for axis, code, label in tags}
    for tag in list(item.tags.all()):
        if (tag.axis, tag.code) not in wanted:
            tag.delete()
    existing = set(item.tags.values_list("axis", "code"))
    ContentTag.objects.bulk_create([
        ContentTag(item=item, axis=axis, code=code, label=label[:128])
        for (axis, code), label in wanted.items() if (axis, code) not in existing
    ])


def withdraw_content(*, iri: str) -> None:
    """The page was unpublished: it no longer counts towards holdings (its history stays)."""
    ContentItem.objects.filter(iri=iri).update(published=False)


def _dimension_key(item_id, dims) -> str:
    raw = "|".join(str(v) for v in (item_id, dims["city_code"], dims["county_code"], dims["learner_type"],
                                     dims["learner_institution_id"]))
    return hashlib.sha1(raw.encode()).hexdigest()


_UPSERT = """
INSERT INTO reports_dailycount
    (day, metric, dimension_key, item_id, city_code, county_code, learner_type, learner_institution_id, count, amount)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (day, metric, dimension_key)
DO UPDATE SET count = reports_dailycount.count + excluded.count,
              amount = reports_dailycount.amount + excluded.amount
"""


def count_event(
    *, metric: str, learner_id: int, item_iri: str | None, day: date | None = None,
    count: int = 1, amount: Decimal | int = 0,
) -> None:
    """Add one event (or its reversal, with ``count=-1``) to the day's summary row."""
    count_events([(metric, learner_id, item_iri, day, count, amount)])


def count_events(events: list[tuple]) -> None:
    """Batch form of ``count_event``: (metric, learner_id, item_iri, day, count, amount) tuples."""
    if not events:
        return
    dims = accounts.learner_dimensions({e[1] for e in events})
    items = dict(ContentItem.objects.filter(iri__in={e[2] for e in events if e[2]}).values_list("iri", "id"))
    today = timezone.localdate()
    rows = []
    for metric, learner_id, item_iri, day, count, amount in events:
        if metric not in Metric.values:
            raise ValueError(f"unknown metric {metric!r}")
        d, item_id = dims[learner_id], items.get(item_iri)
        rows.append((day or today, metric, _dimension_key(item_id, d), item_id, d["city_code"], d["county_code"],
                     d["learner_type"], d["learner_institution_id"], count, Decimal(amount)))
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT, rows)


def record_active_learners(pairs: set[tuple[int, date]]) -> None:
    """Mark learners active on days; a learner counts once a day however many statements they send."""
    if not pairs:
        return
    dims = accounts.learner_dimensions({learner for learner, _ in pairs})
    LearnerDay.objects.bulk_create(
        [LearnerDay(day=day, learner_id=learner, **dims[learner]) for learner, day in pairs],
        ignore_conflicts=True,
    )


def counted_rows() -> int:
    """How many summary rows exist (for the benchmark's report)."""
    return DailyCount.objects.count()


DASHBOARD_GROUP = "数据看板"
PROVINCE_GROUP = "省级教育厅"


def grant_dashboard_access(user) -> None:
    """Let an official or institution admin into the admin's dashboard (their scope still decides what they see).

    Province officials also get to edit the policy targets.
    """
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=DASHBOARD_GROUP))
    if accounts.role_of(user) == accounts.Role.PROVINCE_OFFICIAL:
        user.groups.add(Group.objects.get(name=PROVINCE_GROUP))

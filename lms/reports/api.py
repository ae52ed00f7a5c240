"""Public interface of the reports app: feed the summary tables, read the dashboards.

Writes are upserts that add to counters (``rollups.py`` says which), so each batch of events costs a
few statements however much history there is. Replays of the same event are the caller's job to avoid
(completions, certificates and ledger entries each arrive exactly once from their own apps).
"""
from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from pyroaring import BitMap

from lms.accounts import api as accounts

from . import rollups
from .models import ActiveLearnerSet, ContentItem, ContentTag, LearnerDay, Metric, SummaryCount
from .queries import Dashboard, DashboardQuery, build_dashboard, content_holdings
from .scope import ReportScope, scope_for

__all__ = [
    "Dashboard", "DashboardQuery", "Metric", "ReportScope", "build_dashboard", "content_holdings", "count_event",
    "count_events", "describe_content", "fold_active_learners", "grant_dashboard_access", "record_active_learners",
    "scope_for", "withdraw_content",
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


_UPSERT = """
INSERT INTO reports_summarycount
    (grain, period, metric, "grouping", city_code, county_code, learner_type, item_id, count, amount)
VALUES {values}
ON CONFLICT (grain, period, metric, "grouping", city_code, county_code, learner_type, item_id)
DO UPDATE SET count = reports_summarycount.count + excluded.count,
              amount = reports_summarycount.amount + excluded.amount
"""
_UPSERT_CHUNK = 500  # rows per statement: ten parameters each stays far below SQLite's variable limit


def count_event(
    *, metric: str, learner_id: int, item_iri: str | None, day: date | None = None,
    count: int = 1, amount: Decimal | int = 0,
) -> None:
    """Add one event (or its reversal, with ``count=-1``) to the summary rows."""
    count_events([(metric, learner_id, item_iri, day, count, amount)])


def count_events(events: list[tuple]) -> None:
    """Batch form of ``count_event``: (metric, learner_id, item_iri, day, count, amount) tuples.

    Two queries to look up dimensions, then one multi-row upsert per 500 summary rows; an event touches
    16 rows (2 grains x 8 groupings), and events sharing rows are summed first.
    """
    if not events:
        return
    dims = accounts.learner_dimensions({e[1] for e in events})
    items = dict(ContentItem.objects.filter(iri__in={e[2] for e in events if e[2]}).values_list("iri", "id"))
    today = timezone.localdate()
    folded = []
    for metric, learner_id, item_iri, day, count, amount in events:
        if metric not in Metric.values:
            raise ValueError(f"unknown metric {metric!r}")
        # An event dated in the future is counted today: ranges ending today must see everything.
        folded.append((metric, min(day or today, today), dims[learner_id], items.get(item_iri), count, amount))
    rows = rollups.summary_rows(folded)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _UPSERT_CHUNK):
            chunk = rows[start:start + _UPSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(_UPSERT.format(values=values), [value for row in chunk for value in row])


def record_active_learners(pairs: set[tuple[int, date]]) -> None:
    """Mark learners active on days; a learner counts once a day however many statements they send.

    Cheap on the recording path: one insert of the learner-days. Folding them into the per-period sets
    (``fold_active_learners``) happens in bulk afterwards; dashboards count unfolded days on the fly.
    """
    pairs = _recent_learner_days.unknown(pairs)
    if not pairs:
        return
    today = timezone.localdate()
    dims = accounts.learner_dimensions({learner for learner, _ in pairs})
    LearnerDay.objects.bulk_create(
        [LearnerDay(day=min(day, today), learner_id=learner, **dims[learner])
         for learner, day in sorted(pairs, key=lambda pair: (pair[1], pair[0]))],
        ignore_conflicts=True,
    )
    transaction.on_commit(lambda: _recent_learner_days.remember(pairs))


class _RecentLearnerDays:
    """The learner-days this process stored lately, so that the next statements of the same learners on the
    same day cost no query: most batches are learners already active today (a 100-statement batch spent
    8.6 of its 22 ms of projection on re-inserting them). A learner-day row is never deleted except by
    ``reports_rebuild``, which forgets its own process's memory and re-creates every row that a stored
    statement implies, so a pair another process remembers is in the table again. Bounded in size and
    age, and filled only once the rows are committed."""

    MAX_PAIRS = 200_000
    MAX_SECONDS = 600

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self._pairs: set[tuple[int, date]] = set()
        self._since = time.monotonic()

    def unknown(self, pairs: set[tuple[int, date]]) -> set[tuple[int, date]]:
        if time.monotonic() - self._since > self.MAX_SECONDS or len(self._pairs) > self.MAX_PAIRS:
            self.clear()
        return pairs - self._pairs

    def remember(self, pairs: set[tuple[int, date]]) -> None:
        self._pairs |= pairs


_recent_learner_days = _RecentLearnerDays()


_FOLD_LOCK = 6_204_202_611  # PostgreSQL advisory lock id: one folder at a time


def fold_active_learners(limit: int = 10000) -> int:
    """Add unfolded learner-days to the active-learner sets; returns how many were folded.

    One folder runs at a time (an advisory lock on PostgreSQL; SQLite serialises writers anyway), so a
    learner-day is folded exactly once and set rows are created without races. Days are taken in day
    order, so each batch touches few sets. Safe to run at any time: beat runs it every few seconds.
    """
    folded = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_FOLD_LOCK])
            days = list(LearnerDay.objects.filter(folded=False).order_by("day", "id").values_list(
                "id", "learner_id", "day", "city_code", "county_code", "learner_type", "learner_institution_id",
            )[:limit])
            if not days:
                return folded
            _add_to_sets(days)
            ids = [row[0] for row in days]
            for start in range(0, len(ids), 5000):
                LearnerDay.objects.filter(id__in=ids[start:start + 5000]).update(folded=True)
        folded += len(days)
        if len(days) < limit:
            return folded


def _add_to_sets(days) -> None:
    wanted: dict[str, tuple] = {}
    members: dict[str, BitMap] = defaultdict(BitMap)
    for _id, learner, day, city, county, kind, institution in days:
        dims = {"city_code": city, "county_code": county, "learner_type": kind,
                "learner_institution_id": institution}
        for key, *fields in rollups.active_keys(day, dims):
            wanted[key] = fields
            members[key].add(learner)
    keys = sorted(wanted)
    changed = []
    for start in range(0, len(keys), 2000):
        existing = ActiveLearnerSet.objects.filter(key__in=keys[start:start + 2000]).values_list("key", "learners")
        for key, stored in existing:
            learners = BitMap.deserialize(bytes(stored)) if stored else BitMap()
            before = len(learners)
            learners |= members.pop(key)
            if len(learners) != before:
                changed.append((learners.serialize(), len(learners), key))
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE reports_activelearnerset SET learners = %s, size = %s WHERE key = %s", changed)
    ActiveLearnerSet.objects.bulk_create([
        ActiveLearnerSet(key=key, grain=grain, period=period, grouping=grouping, city_code=city, county_code=county,
                         learner_type=kind, learner_institution_id=institution,
                         learners=members[key].serialize(), size=len(members[key]))
        for key in sorted(members) for grain, period, grouping, city, county, kind, institution in [wanted[key]]
    ], batch_size=1000)


def counted_rows() -> int:
    """How many summary rows exist (for the benchmark's report)."""
    return SummaryCount.objects.count()


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

"""The roll-ups give exactly what counting the raw events would, for every scope, filter, breakdown and range.

Random events and learner-days are counted through the public api (half the learner-days folded into the
active-learner sets, half not yet), then each dashboard is compared with a brute-force count of the same
events in Python.
"""
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from lms.accounts import api as accounts
from lms.reports import api as reports
from lms.reports import rollups
from lms.reports.queries import DIMENSIONS, DashboardQuery, build_dashboard
from lms.reports.scope import ReportScope
from tests import factories

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 1, 1), date(2026, 10, 31)


def test_spans_take_whole_months_and_edge_days():
    today = date(2026, 11, 29)
    assert rollups.spans(date(2026, 1, 1), date(2026, 3, 31), today) == [("m", date(2026, 1, 1), date(2026, 3, 1))]
    assert rollups.spans(date(2026, 1, 15), date(2026, 4, 10), today) == [
        ("m", date(2026, 2, 1), date(2026, 3, 1)), ("d", date(2026, 1, 15), date(2026, 1, 31)),
        ("d", date(2026, 4, 1), date(2026, 4, 10))]
    # Nothing is counted after today, so a range ending today takes the current month whole.
    assert rollups.spans(date(2026, 11, 1), today, today) == [("m", date(2026, 11, 1), date(2026, 11, 1))]
    assert rollups.spans(date(2026, 3, 5), date(2026, 3, 20), today) == [("d", date(2026, 3, 5), date(2026, 3, 20))]
    assert rollups.spans(date(2026, 1, 1), date(2026, 3, 31), today, by_day=True) == [
        ("d", date(2026, 1, 1), date(2026, 3, 31))]


@pytest.fixture
def world():
    rng = random.Random(7)
    lanzhou = factories.region(code="620100", name="兰州市", cluster="longzhong")
    wuwei = factories.region(code="620600", name="武威市", cluster="hexi")
    counties = [factories.region(code=f"6201{n:02d}", name=f"兰州{n}", level="county", parent=lanzhou)
                for n in (2, 3)] + [factories.region(code="620602", name="凉州区", level="county", parent=wuwei)]
    colleges = [factories.institution(name="兰州学院", reg=lanzhou), factories.institution(name="武威学院", reg=wuwei)]
    items = {}
    for n, (college, cluster, tags) in enumerate([
        (colleges[0], "longzhong", [("industry", "cattle", "牛"), ("program", "qiaoshou", "巧手")]),
        (colleges[0], "longzhong", [("industry", "cattle", "牛"), ("industry", "sheep", "羊")]),
        (colleges[1], "hexi", [("program", "yuesao", "月嫂")]),
    ]):
        iri = f"urn:c:{n}"
        reports.describe_content(iri=iri, kind="course", title=iri, institution_id=college.pk, cluster=cluster,
                                 tags=tags)
        items[iri] = {"institution": college.pk, "cluster": cluster, "tags": tags}
    from lms.reports.models import ContentItem

    for iri, item in items.items():
        item["id"] = ContentItem.objects.get(iri=iri).pk
    learners = {}
    for n in range(12):
        county = rng.choice(counties)
        college = rng.choice([None, *colleges])
        user = accounts.create_person(username=f"l{n}", password="pw-123456-x", real_name=f"学员{n}", region=county,
                                      learner_type=rng.choice(["farmer", "worker", "student"]), institution=college)
        learners[user.pk] = {"city": county.parent.code, "county": county.code, "type": user.profile.learner_type,
                             "institution": college.pk if college else None}
    days = (LAST - FIRST).days
    events = []
    for _ in range(160):
        metric = rng.choice(["enrolled", "enrolled", "completed", "certified", "credited"])
        events.append((metric, rng.choice(list(learners)), rng.choice(list(items)),
                       FIRST + timedelta(days=rng.randrange(days + 1)), rng.choice([1, 1, 1, -1]),
                       Decimal("1.5") if metric == "credited" else Decimal(0)))
    reports.count_events(events[:80])
    for event in events[80:]:
        reports.count_event(metric=event[0], learner_id=event[1], item_iri=event[2], day=event[3], count=event[4],
                            amount=event[5])
    active = [(rng.choice(list(learners)), FIRST + timedelta(days=rng.randrange(days + 1))) for _ in range(120)]
    reports.record_active_learners(set(active[:60]))
    reports.fold_active_learners(limit=7)  # several small batches
    reports.record_active_learners(set(active[60:]))  # not folded: dashboards must count these too
    return {"learners": learners, "items": items, "events": events, "active": set(active),
            "colleges": colleges}


def _bucket(period, day):
    return {"day": day, "week": day - timedelta(days=day.weekday()), "month": day.replace(day=1),
            "year": day.replace(month=1, day=1)}[period]


def _keys(world, group_by, learner, iri):
    person, item = world["learners"][learner], world["items"][iri]
    return {
        "city": [person["city"]], "county": [person["county"]], "learner_type": [person["type"]],
        "cluster": [item["cluster"]], "institution": [item["institution"]], "course": [item["id"]],
        "industry": [code for axis, code, _l in item["tags"] if axis == "industry"],
        "program": [code for axis, code, _l in item["tags"] if axis == "program"],
    }[group_by]


def _expected(world, scope, query):
    def learner_ok(learner):
        person = world["learners"][learner]
        return ((scope.kind != "city" or person["city"] == scope.city_code)
                and (not query.city or person["city"] == query.city)
                and (not query.county or person["county"] == query.county)
                and (not query.learner_type or person["type"] == query.learner_type))

    def item_ok(iri):
        item = world["items"][iri]
        codes = {code for _axis, code, _l in item["tags"]}
        return ((scope.kind != "institution" or item["institution"] == scope.institution_id)
                and (not query.cluster or item["cluster"] == query.cluster)
                and (not query.industry or query.industry in codes) and (not query.program or query.program in codes))

    totals, trend, rows = defaultdict(int), defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    column = {"enrolled": "enrolled", "completed": "completed", "certified": "certified", "credited": "credited"}
    for metric, learner, iri, day, count, amount in world["events"]:
        if not (query.start <= day <= query.end and learner_ok(learner) and item_ok(iri)):
            continue
        for target in [totals, trend[_bucket(query.period, day)]] + [
                rows[key] for key in _keys(world, query.group_by, learner, iri)]:
            target[column[metric]] += count
            target["credits"] += amount
    content_filter = any([query.cluster, query.industry, query.program])
    actives = {"all": set(), "trend": defaultdict(set), "rows": defaultdict(set)}
    for learner, day in world["active"]:
        person = world["learners"][learner]
        if content_filter or not (query.start <= day <= query.end and learner_ok(learner)):
            continue
        if scope.kind == "institution" and person["institution"] != scope.institution_id:
            continue
        actives["all"].add(learner)
        actives["trend"][_bucket(query.period, day)].add(learner)
        if query.group_by in ("city", "county", "learner_type"):
            actives["rows"][_keys(world, query.group_by, learner, next(iter(world["items"])))[0]].add(learner)
    return totals, trend, rows, (None if content_filter else actives)


QUERIES = [
    {"start": "2026-01-01", "end": "2026-10-31"},
    {"start": "2026-02-10", "end": "2026-07-20"},  # partial months at both ends
    {"start": "2026-03-05", "end": "2026-03-25"},  # inside one month
]


@pytest.mark.parametrize("scope_kind", ["province", "city", "institution"])
@pytest.mark.parametrize("span", QUERIES)
def test_every_dashboard_equals_a_brute_force_count(world, scope_kind, span):
    scope = {"province": ReportScope(kind="province"), "city": ReportScope(kind="city", city_code="620100"),
             "institution": ReportScope(kind="institution", institution_id=world["colleges"][0].pk)}[scope_kind]
    filters = [{}, {"learner_type": "farmer"}, {"industry": "cattle"}, {"county": "620102"}
               if scope_kind != "institution" else {"cluster": "longzhong"}]
    checked = 0
    for n, group_by in enumerate(DIMENSIONS):
        for m, period in enumerate(("day", "week", "month", "year")):
            for extra in [{}, filters[1 + (n + m) % (len(filters) - 1)]]:  # unfiltered, and one filter in turn
                query = DashboardQuery.from_params({**span, "group_by": group_by, "period": period, **extra})
                board = build_dashboard(scope, query)
                totals, trend, rows, actives = _expected(world, scope, query)
                label = f"{scope_kind} {span} {group_by} {period} {extra}"
                for metric in ("enrolled", "completed", "certified", "credited", "credits"):
                    assert board.totals[metric] == totals[metric], (label, metric)
                got_trend = {p["bucket"]: p for p in board.trend}
                for bucket, sums in trend.items():
                    for metric, value in sums.items():
                        assert got_trend[bucket][metric] == value, (label, bucket, metric)
                got_rows = {row["key"]: row for row in board.rows}
                for key, sums in rows.items():
                    for metric, value in sums.items():
                        assert got_rows[key][metric] == value, (label, key, metric)
                if actives is None:
                    assert board.totals["active"] is None, label
                else:
                    assert board.totals["active"] == len(actives["all"]), label
                    for bucket, learners in actives["trend"].items():
                        assert got_trend[bucket]["active"] == len(learners), (label, bucket)
                    if group_by in ("city", "county", "learner_type"):
                        for key, learners in actives["rows"].items():
                            assert got_rows[key]["active"] == len(learners), (label, key)
                checked += 1
    assert checked == len(DIMENSIONS) * 4 * 2


def test_folding_is_exact_and_idempotent(world):
    from lms.reports.models import ActiveLearnerSet, LearnerDay

    unfolded = LearnerDay.objects.filter(folded=False).count()
    assert unfolded > 0
    assert reports.fold_active_learners() == unfolded
    assert reports.fold_active_learners() == 0
    month_sets = ActiveLearnerSet.objects.filter(grain="m", grouping=0)
    expected = defaultdict(set)
    for learner, day in world["active"]:
        expected[day.replace(day=1)].add(learner)
    assert {row.period: row.size for row in month_sets} == {month: len(s) for month, s in expected.items()}


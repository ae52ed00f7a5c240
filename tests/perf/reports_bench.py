"""Dashboards at province scale: generate the load, then time every dashboard against a plain count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_reports_bench .venv/bin/python tests/perf/reports_bench.py

Generates (once; ``--fresh`` to redo) 100,000 learners with profiles across the 14 cities, 500 courses,
300,000 enrolments and 1,000,000 xAPI statements, and feeds the reports' summary tables through the same
``lms.reports.api`` functions the live signal receivers call. Completions, certificates and credits are fed
to the summary tables only (their own apps' rows are not generated here). Then each dashboard
(every breakdown × province, city and institution scope) runs 20 times; the script prints p50/p95 in
milliseconds and the ratio of p95 to a plain indexed ``COUNT(*)`` of one course's enrolments timed in the
same run. Goal: every dashboard p95 <= 500 ms. Smaller runs: ``--learners 10000 --enrolments 30000 ...``.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

from tests.perf.timing import percentiles  # noqa: E402


def setup(args):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(args):  # noqa: C901 - one straight-line script
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from tqdm import tqdm

    from lms.accounts.models import Profile
    from lms.enrollment.models import Enrollment, Offering
    from lms.institutions.models import Institution, Region
    from lms.reports import api as reports
    from lms.reports.models import LearnerDay
    from lms.xapi import storage
    from lms.xapi.models import Statement

    rng = random.Random(2026)
    User = get_user_model()
    if User.objects.filter(username__startswith="bench-").exists() and not args.fresh:
        print("load already generated; reusing it (--fresh to regenerate)")
        return
    province, _ = Region.objects.get_or_create(code="620000", defaults={"name": "甘肃省", "level": "province"})
    clusters = ["longzhong", "hexi", "longdongnan"]
    counties = []
    for c in range(14):
        city, _ = Region.objects.get_or_create(code=f"62{c + 1:02d}00", defaults={
            "name": f"城市{c + 1}", "level": "city", "parent": province, "cluster": clusters[c % 3]})
        for k in range(6):
            county, _ = Region.objects.get_or_create(code=f"62{c + 1:02d}{k + 1:02d}", defaults={
                "name": f"县区{c + 1}-{k + 1}", "level": "county", "parent": city})
            counties.append(county)
    institutions = []
    for i in range(50):
        city = counties[i % len(counties)].parent
        inst, _ = Institution.objects.get_or_create(code=f"BENCH{i}", defaults={
            "name": f"基准学院{i}", "slug": f"bench-{i}", "kind": "higher", "region": city})
        institutions.append(inst)
    industries = [("cattle", "牛"), ("sheep", "羊"), ("vegetables", "菜"), ("fruit", "果"), ("potato", "薯"),
                  ("herbs", "药")]
    programs = [("qiaoshou", "陇原巧手"), ("yuesao", "陇原月嫂"), ("nongye", "农业职业经理人")]
    iris = []
    for n in tqdm(range(args.courses), desc="courses", file=sys.stderr):
        iri = f"{settings.XAPI_ACTIVITY_IRI_BASE}course/BENCH{n:04d}"
        inst = institutions[n % len(institutions)]
        reports.describe_content(iri=iri, kind="course", title=f"基准课程{n}", institution_id=inst.pk,
                                 cluster=clusters[n % 3], is_quality=n % 5 == 0,
                                 tags=[("industry", *industries[n % 6]), ("program", *programs[n % 3])])
        Offering.objects.get_or_create(iri=iri, defaults={"kind": "course", "title": f"基准课程{n}",
                                                          "url": f"/courses/bench/{n}/", "institution": inst})
        iris.append(iri)
    offerings = dict(Offering.objects.filter(iri__in=iris).values_list("iri", "id"))

    learner_ids = []
    for start in tqdm(range(0, args.learners, 5000), desc="learners", file=sys.stderr):
        batch = [User(username=f"bench-{n}", password="!") for n in range(start, min(start + 5000, args.learners))]
        with transaction.atomic():
            users = User.objects.bulk_create(batch)
            Profile.objects.bulk_create([
                Profile(user=u, real_name=f"学员{u.username}", region=rng.choice(counties),
                        learner_type=rng.choice(["student", "farmer", "worker", "social"]),
                        institution=rng.choice(institutions) if rng.random() < 0.3 else None)
                for u in users
            ])
        learner_ids += [u.pk for u in users]

    today = datetime.now(UTC).date()
    pairs = set()
    while len(pairs) < args.enrolments:
        pairs.add((rng.choice(learner_ids), rng.choice(iris)))
    pairs = list(pairs)
    events = []
    for start in tqdm(range(0, len(pairs), 10000), desc="enrolments", file=sys.stderr):
        chunk = pairs[start:start + 10000]
        days = [today - timedelta(days=rng.randrange(365)) for _ in chunk]
        with transaction.atomic():
            Enrollment.objects.bulk_create([Enrollment(user_id=u, offering_id=offerings[i]) for u, i in chunk])
            events += [("enrolled", u, i, d, 1, 0) for (u, i), d in zip(chunk, days, strict=True)]
            for (u, i), d in zip(chunk, days, strict=True):
                roll = rng.random()
                if roll < 0.45:
                    done = d + timedelta(days=rng.randrange(30))
                    events.append(("completed", u, i, done, 1, 0))
                    if roll < 0.35:
                        events.append(("certified", u, i, done, 1, 0))
                        events.append(("credited", u, i, done, 1, Decimal("2.0")))
    # One call, as a cohort import would make: events sharing a summary row are summed before the upsert.
    print(f"counting {len(events):,} events into the summary rows ...", file=sys.stderr)
    reports.count_events(events)

    authority = {"objectType": "Agent", "account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": "bench"}}
    verbs = ["http://adlnet.gov/expapi/verbs/experienced", "http://adlnet.gov/expapi/verbs/progressed",
             "http://adlnet.gov/expapi/verbs/answered", "http://adlnet.gov/expapi/verbs/completed"]
    for start in tqdm(range(0, args.statements, 5000), desc="statements", file=sys.stderr):
        prepared, active = [], set()
        for _ in range(min(5000, args.statements - start)):
            learner, iri = rng.choice(pairs)
            day = today - timedelta(days=rng.randrange(365))
            when = datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=UTC)
            statement = {
                "id": str(uuid.uuid4()),
                "actor": {"objectType": "Agent",
                          "account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": str(learner)}},
                "verb": {"id": rng.choice(verbs)}, "object": {"objectType": "Activity", "id": iri},
                "timestamp": when.isoformat(),
            }
            prepared.append(storage.prepare(statement, authority=authority, stored=when))
            active.add((learner, day))
        with transaction.atomic():
            Statement.objects.bulk_create([
                Statement(statement_id=p.statement_id, stored=p.stored, timestamp=p.timestamp, payload=p.payload,
                          **p.columns) for p in prepared
            ])
            reports.record_active_learners(active)
    print("folding learner-days into active-learner sets ...", file=sys.stderr)
    with tqdm(total=LearnerDay.objects.filter(folded=False).count(), desc="fold", file=sys.stderr) as bar:
        while folded := reports.fold_active_learners(limit=50_000):
            bar.update(folded)


def measure(args):
    from django.db import connection

    from lms.enrollment.models import Enrollment, Offering
    from lms.institutions.models import Institution
    from lms.reports.models import ActiveLearnerSet, LearnerDay, SummaryCount
    from lms.reports.queries import DIMENSIONS, DashboardQuery, build_dashboard
    from lms.reports.scope import ReportScope
    from tests.perf.timing import percentiles

    today = date.today()
    offering = Offering.objects.filter(iri__contains="BENCH").order_by("id").first()
    base_p50, base_p95 = percentiles(lambda: Enrollment.objects.filter(offering=offering).count(), args.repeats)
    scopes = {
        "province": ReportScope(kind="province", label="province"),
        "city": ReportScope(kind="city", city_code="620100", label="city"),
        "institution": ReportScope(kind="institution", institution_id=Institution.objects.get(code="BENCH0").pk,
                                   label="institution"),
    }
    print(f"\ndatabase: {connection.vendor}; statements: {args.statements:,}; enrolments: {args.enrolments:,}; "
          f"learners: {args.learners:,}")
    print(f"baseline (indexed COUNT of one course's enrolments): p50 {base_p50:.1f} ms, p95 {base_p95:.1f} ms\n")
    print(f"summary rows: {SummaryCount.objects.count():,}; active-learner sets: {ActiveLearnerSet.objects.count():,}; "
          f"learner-days: {LearnerDay.objects.count():,}\n")
    print(f"{'dashboard':44} {'p50 ms':>8} {'p95 ms':>8} {'p95/baseline':>13}")
    cases = [(scope_name, {"group_by": group_by, "period": period})
             for scope_name in scopes for group_by in DIMENSIONS for period in ("month", "day")]
    # Drill-downs, other periods and a range with partial months at both ends (read from day rows).
    partial = {"start": f"{today.year - 1}-12-15", "end": f"{today.year}-{today.month:02d}-05"}
    cases += [
        ("province", {"group_by": "county", "city": "620100", "period": "week"}),
        ("province", {"group_by": "course", "industry": "cattle", "period": "year"}),
        ("institution", {"group_by": "learner_type", "period": "week"}),
        ("province", {"group_by": "city", "period": "day", **partial}),
        ("city", {"group_by": "course", "learner_type": "farmer", "period": "month", **partial}),
    ]
    worst = 0.0
    for scope_name, params in cases:
        query = DashboardQuery.from_params(params)
        p50, p95 = percentiles(lambda q=query, s=scopes[scope_name]: build_dashboard(s, q), args.repeats)
        worst = max(worst, p95)
        name = " / ".join([scope_name] + [str(v) for k, v in params.items() if k not in ("start", "end")])
        name += " (partial months)" if "start" in params else ""
        print(f"{name:44} {p50:8.1f} {p95:8.1f} {p95 / max(base_p95, 0.001):13.0f}x")
    worst = max(worst, _through_http(args, base_p95, partial))
    print(f"\nworst dashboard p95: {worst:.1f} ms (goal <= 500 ms): {'PASS' if worst <= 500 else 'FAIL'}")
    return worst <= 500


def _through_http(args, base_p95, partial):
    """The whole admin page (session, scope, query, SVG charts, template) and an export, as an official gets them."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from lms.accounts import api as accounts
    from lms.reports import api as reports

    User = get_user_model()
    official = User.objects.filter(username="bench-province").first() or accounts.create_person(
        username="bench-province", password="!", real_name="省厅", role=accounts.Role.PROVINCE_OFFICIAL)
    reports.grant_dashboard_access(official)
    client = Client()
    client.force_login(official)
    print(f"\n{'through HTTP (province official)':44} {'p50 ms':>8} {'p95 ms':>8} {'p95/baseline':>13}")
    worst = 0.0
    for name, url, params in [
        ("dashboard page / city / month", "/admin/reports/dashboard/", {"group_by": "city"}),
        ("dashboard page / course / day", "/admin/reports/dashboard/", {"group_by": "course", "period": "day"}),
        ("dashboard page / county / week (partial)", "/admin/reports/dashboard/",
         {"group_by": "county", "period": "week", **partial}),
        ("XLSX export / course / month", "/admin/reports/dashboard/breakdown.xlsx", {"group_by": "course"}),
    ]:
        def fetch(url=url, params=params):
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        p50, p95 = percentiles(fetch, args.repeats)
        worst = max(worst, p95)
        print(f"{name:44} {p50:8.1f} {p95:8.1f} {p95 / max(base_p95, 0.001):13.0f}x")
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--enrolments", type=int, default=300_000)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--courses", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    setup(args)
    started = time.perf_counter()
    generate(args)
    print(f"load ready in {time.perf_counter() - started:.0f} s")
    sys.exit(0 if measure(args) else 1)


if __name__ == "__main__":
    main()

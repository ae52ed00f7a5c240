"""``reports_rebuild`` recounts the dashboards from the source apps and gets what the live receivers got."""
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lms.accounts import api as accounts
from lms.completion import api as completion
from lms.completion.data import CompletionRules, ItemKind, Outline, OutlineItem
from lms.enrollment import api as enrollment
from lms.reports import api as reports
from lms.reports.models import ActiveLearnerSet, LearnerDay, SummaryCount
from lms.reports.queries import DashboardQuery, build_dashboard
from lms.reports.scope import ReportScope
from tests import factories

from ..progress.helpers import committed, record, statement

pytestmark = pytest.mark.django_db
COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/REBUILD1"
VIDEO = COURSE + "/lesson/1/v"


def _board(group_by):
    today = timezone.localdate().isoformat()
    query = DashboardQuery.from_params({"group_by": group_by, "start": f"{today[:4]}-01-01", "end": today})
    board = build_dashboard(ReportScope(kind="province"), query)
    return board.totals, [(row["key"], row["enrolled"], row["completed"], row["active"]) for row in board.rows]


def test_rebuild_gives_the_live_numbers_back():
    wuwei = factories.region(code="620600", name="武威市", cluster="hexi")
    county = factories.region(code="620602", name="凉州区", level="county", parent=wuwei)
    college = factories.institution(name="武威职业学院", reg=wuwei)
    with committed():
        reports.describe_content(iri=COURSE, kind="course", title="肉牛养殖", institution_id=college.pk,
                                 cluster="hexi")
        enrollment.publish_offering(iri=COURSE, kind="course", title="肉牛养殖", url="/c/", institution_id=college.pk,
                                    quota=None, is_open=True)
        completion.publish_outline(Outline(
            offering_iri=COURSE, kind="course", title="肉牛养殖", institution_id=college.pk, credits=Decimal("2"),
            rules=CompletionRules(require_attendance=False), items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))
    people = [accounts.create_person(username=f"rb{n}", password="pw-123456-x", real_name=f"学员{n}", region=county,
                                     learner_type=kind) for n, kind in enumerate(["farmer", "farmer", "worker"])]
    for person in people:
        with committed():
            enrollment.enrol(person, COURSE)
    record(statement(people[0], VIDEO, "completed", result={"completion": True}))  # completes: certificate too
    record(statement(people[1], VIDEO, "experienced"))
    live = {group_by: _board(group_by) for group_by in ("county", "learner_type", "course")}
    totals = live["county"][0]
    assert (totals["enrolled"], totals["completed"], totals["active"]) == (3, 1, 3)  # enrolling records a statement

    SummaryCount.objects.all().delete()  # lost, say, to a bad restore
    ActiveLearnerSet.objects.all().delete()
    LearnerDay.objects.all().delete()
    reports.count_event(metric="enrolled", learner_id=people[2].pk, item_iri=COURSE)  # and a stray count
    out = StringIO()
    call_command("reports_rebuild", stdout=out, verbosity=0)
    assert "enrolments: 3" in out.getvalue() and "completions: 1" in out.getvalue()
    assert {group_by: _board(group_by) for group_by in live} == live


def test_rebuild_on_an_empty_platform_empties_the_dashboards():
    reports.count_event(metric="enrolled", learner_id=factories_user().pk, item_iri="urn:c:x")
    call_command("reports_rebuild", stdout=StringIO(), verbosity=0)
    assert not SummaryCount.objects.exists()


def factories_user():
    return accounts.create_person(username="lonely", password="pw-123456-x", real_name="某")

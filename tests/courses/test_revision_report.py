"""The course revision report: which courses are listed, their status, scoping, filters, exports, queries."""
import csv
import datetime
import io
import random

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import authoring
from courses.models import CoursePage
from courses.reports import WINDOW_DAYS, latest_revision_date
from lms.accounts import api as accounts
from tests import factories
from tests.courses.test_admin_pages import assert_denied, login
from tests.courses.test_authoring import reviewer, superuser, teacher_of

pytestmark = pytest.mark.django_db

REPORT = "/admin/courses/revision-report/"
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def years_ago(years, plus_days=0):
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28)) + datetime.timedelta(days=plus_days)


def revised_for(due):
    """A minor-revision date whose yearly revision falls due exactly on ``due``."""
    start = due - datetime.timedelta(days=370)
    return next(day for day in (start + datetime.timedelta(days=n) for n in range(10))
                if CoursePage(last_minor_revision=day).minor_revision_due == due)


def expected(course):
    """The policy, straight from the model's due-date properties: (listed, revision, status)."""
    horizon = days(WINDOW_DAYS)
    major, minor = course.major_revision_due, course.minor_revision_due
    major_due = major is None or major <= horizon
    minor_due = minor is None or minor <= horizon
    overdue = major is None or minor is None or major < TODAY or minor < TODAY
    return (major_due or minor_due, "major" if major_due else "minor", "overdue" if overdue else "due_soon")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows(response):
    return [(c.code, c.revision, c.status) for c in response.context["object_list"]]


@pytest.fixture
def catalogue():
    """Two institutions' courses, each at a known point of the revision cycle."""
    a, b = factories.section(), factories.section()
    specs = {
        "A-MAJOR-SOON": (a, dict(last_major_revision=years_ago(3, 30), last_minor_revision=days(-100))),
        "A-MAJOR-LATE": (a, dict(last_major_revision=years_ago(3, -10), last_minor_revision=days(-20))),
        "A-NEVER": (a, dict(last_major_revision=None, last_minor_revision=None)),
        "A-FRESH": (a, dict(last_major_revision=days(-200), last_minor_revision=days(-100))),
        "B-MINOR-LATE": (b, dict(last_major_revision=years_ago(2), last_minor_revision=days(-400))),
        "B-MINOR-NONE": (b, dict(last_major_revision=years_ago(2), last_minor_revision=None)),
        "A-DUE-TODAY": (a, dict(last_major_revision=years_ago(2), last_minor_revision=revised_for(TODAY))),
        "B-DUE-HORIZON": (b, dict(last_major_revision=years_ago(2), last_minor_revision=revised_for(days(60)))),
        "B-OUTSIDE": (b, dict(last_major_revision=years_ago(2), last_minor_revision=revised_for(days(61)))),
    }
    courses = {code: factories.course(section, code=code, **dates) for code, (section, dates) in specs.items()}
    factories.course(a, code="A-DRAFT", live=False, last_major_revision=None, last_minor_revision=None)
    return a, b, courses


def test_the_report_lists_due_and_overdue_courses_with_their_status(catalogue):
    _a, _b, courses = catalogue
    response = login(superuser()).get(REPORT)
    assert response.status_code == 200
    listed = rows(response)
    assert {code for code, *_ in listed} == {
        "A-MAJOR-SOON", "A-MAJOR-LATE", "A-NEVER", "B-MINOR-LATE", "B-MINOR-NONE", "A-DUE-TODAY", "B-DUE-HORIZON",
    }
    assert dict((code, (rev, status)) for code, rev, status in listed) == {
        "A-MAJOR-SOON": ("major", "due_soon"),
        "A-MAJOR-LATE": ("major", "overdue"),
        "A-NEVER": ("major", "overdue"),
        "B-MINOR-LATE": ("minor", "overdue"),
        "B-MINOR-NONE": ("minor", "overdue"),  # no minor revision since its major one two years ago
        "A-DUE-TODAY": ("minor", "due_soon"),
        "B-DUE-HORIZON": ("minor", "due_soon"),
    }
    assert [status for *_, status in listed] == sorted((s for *_, s in listed), reverse=True)  # overdue first
    for course in courses.values():
        course.refresh_from_db()
        listed_row = next((r for r in listed if r[0] == course.code), None)
        want = expected(course)
        assert (listed_row is not None) == want[0], course.code
        if listed_row:
            assert listed_row[1:] == want[1:], course.code
    html = response.content.decode()
    assert "A-NEVER" in html and courses["A-MAJOR-SOON"].major_revision_due.isoformat() in html


def test_the_classification_matches_the_model_for_many_dates():
    section = factories.section()
    rng = random.Random(2026)
    courses = []
    for n in range(24):
        major = days(-rng.randint(0, 4 * 365)) if rng.random() > 0.1 else None
        minor = days(-rng.randint(0, 2 * 365)) if rng.random() > 0.2 else None
        courses.append(factories.course(section, code=f"R{n:03d}", last_major_revision=major,
                                        last_minor_revision=minor))
    listed = {code: (rev, status) for code, rev, status in rows(login(superuser()).get(REPORT, {"p": 1}))}
    for course in courses:
        want = expected(course)
        assert (course.code in listed) == want[0], course.code
        if want[0]:
            assert listed[course.code] == want[1:], course.code


@pytest.mark.parametrize("years", [1, 3])
def test_latest_revision_date_agrees_with_the_due_date_rule_around_29_february(years):
    limits = [datetime.date(year, 2, 26) + datetime.timedelta(days=k) for year in range(2025, 2034) for k in range(5)]
    limits += [datetime.date(2026, 6, 30), datetime.date(2027, 12, 31), datetime.date(2028, 1, 1)]
    for limit in limits:
        cutoff = latest_revision_date(limit, years)
        for offset in range(-6, 7):
            day = cutoff + datetime.timedelta(days=offset)
            if years == 1:
                due = CoursePage(last_minor_revision=day).minor_revision_due
            else:
                due = CoursePage(last_major_revision=day).major_revision_due
            assert (day <= cutoff) == (due <= limit), (limit, day)


def test_a_teacher_sees_only_their_institution(catalogue):
    a, b, _courses = catalogue
    client = login(teacher_of(a.institution))
    response = client.get(REPORT)
    assert response.status_code == 200
    assert {code[:2] for code, *_ in rows(response)} == {"A-"}
    choices = list(response.context["filters"].form.fields["institution"].queryset)
    assert choices == [a.institution]
    # Asking for B's rows is not a way round the scope.
    assert rows(client.get(REPORT, {"institution": b.institution.pk})) == rows(response)


def test_reviewers_see_every_institution_and_can_filter(catalogue):
    a, b, _courses = catalogue
    client = login(reviewer())
    assert {code[:2] for code, *_ in rows(client.get(REPORT))} == {"A-", "B-"}
    only_b = rows(client.get(REPORT, {"institution": b.institution.pk}))
    assert {code for code, *_ in only_b} == {"B-MINOR-LATE", "B-MINOR-NONE", "B-DUE-HORIZON"}
    soon = rows(client.get(REPORT, {"status": "due_soon"}))
    assert {code for code, *_ in soon} == {"A-MAJOR-SOON", "A-DUE-TODAY", "B-DUE-HORIZON"}
    minor = rows(client.get(REPORT, {"revision": "minor"}))
    assert {code for code, *_ in minor} == {"B-MINOR-LATE", "B-MINOR-NONE", "B-DUE-HORIZON", "A-DUE-TODAY"}
    nonsense = client.get(REPORT, {"status": "<script>", "institution": "x"})
    assert nonsense.status_code == 200  # an unknown filter value is ignored, not an error page


def test_people_without_authoring_rights_cannot_open_it(catalogue):
    learner = accounts.create_person(username="learner", password="pw-learn-2026", real_name="马同学")
    assert login(learner).get(REPORT)["Location"].startswith("/admin/login/")
    staff = accounts.create_person(username="staff", password="pw-staff-2026", real_name="省厅")
    authoring.add_province_staff(staff)  # admin access, but no say over courses
    assert_denied(login(staff).get(REPORT))
    assert login(superuser()).get(REPORT.rstrip("/") + "/results/").status_code == 200


def test_the_menu_offers_the_report_to_teachers(catalogue):
    a, _b, _courses = catalogue
    response = login(teacher_of(a.institution)).get(reverse("wagtailadmin_home"))
    assert REPORT in response.content.decode()


def test_csv_and_xlsx_exports_match_the_listing(catalogue):
    a, _b, _courses = catalogue
    client = login(teacher_of(a.institution))
    listed = rows(client.get(REPORT))

    exported = client.get(REPORT, {"export": "csv"})
    assert exported.status_code == 200 and "text/csv" in exported["Content-Type"]
    table = list(csv.reader(io.StringIO(body(exported).decode("utf-8-sig"))))
    header, lines = table[0], table[1:]
    assert header == ["课程代码", "课程", "院校", "修订类型", "到期日期", "状态", "上次大修订", "上次小修订"]
    assert [line[0] for line in lines] == [code for code, *_ in listed]
    assert {line[2] for line in lines} == {a.institution.name}
    never = next(line for line in lines if line[0] == "A-NEVER")
    assert never[4] and never[6] == "" and never[7] == ""

    xlsx = client.get(REPORT, {"export": "xlsx", "status": "overdue"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(body(xlsx))).active
    values = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in values[1:]] == [code for code, _rev, status in listed if status == "overdue"]
    assert len(values[0]) == len(header)


def test_the_report_runs_a_constant_number_of_queries(catalogue, django_assert_max_num_queries):
    a, _b, _courses = catalogue
    client = login(superuser())
    with CaptureQueriesContext(connection) as few:
        assert client.get(REPORT).status_code == 200
    for n in range(12):
        factories.course(a, code=f"MORE{n}", last_major_revision=None, last_minor_revision=None)
    with django_assert_max_num_queries(len(few)):
        response = client.get(REPORT)
    assert len(rows(response)) == 7 + 12
    with CaptureQueriesContext(connection) as export:
        body(client.get(REPORT, {"export": "csv"}))
    assert len(export) <= len(few)

"""Course import: a good file creates, re-importing updates idempotently, bad rows change nothing."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.models import Page, Revision

from courses.importing import import_catalogue
from courses.models import CoursePage
from tests.courses.import_helpers import COURSE_HEADERS, course_rows, taxonomy, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the platform's default language is zh-Hans."""
    with translation.override("en"):
        yield


@pytest.fixture
def section():
    return taxonomy()[1]


def test_xlsx_creates_published_courses_in_the_institution_section(section, tmp_path):
    path = write_xlsx(tmp_path / "courses.xlsx", COURSE_HEADERS, course_rows(3))
    report = import_catalogue(path, kind="courses")
    assert report.ok and report.applied
    assert report.created == ["XM001", "XM002", "XM003"]
    course = CoursePage.objects.get(code="XM002")
    assert course.live and course.get_parent().pk == section.pk
    assert course.institution == section.institution
    assert course.level == "higher" and course.credits == Decimal("2.5") and course.class_hours == 40
    assert course.specialty.code == "410303"
    assert sorted(i.code for i in course.industries.all()) == ["cattle", "sheep"]
    assert [p.code for p in course.programs.all()] == ["new-farmer"]
    assert [c.code for c in course.skill_certificates.all()] == ["animal-epidemic-junior"]
    assert course.is_quality_course and course.quality_year == 2024
    assert course.last_major_revision == dt.date(2024, 9, 1)
    assert course.last_minor_revision == dt.date(2025, 9, 1)
    assert course.live_revision_id is not None


def test_reimport_updates_changed_rows_with_a_new_revision_and_leaves_the_rest(section, tmp_path):
    first = write_csv(tmp_path / "v1.csv", COURSE_HEADERS, course_rows(3))
    import_catalogue(first, kind="courses")
    pages_before = Page.objects.count()
    revisions_before = Revision.objects.count()

    rows = course_rows(3)
    rows[1][1] = "肉牛养殖技术（第二版）"
    second = write_csv(tmp_path / "v2.csv", COURSE_HEADERS, rows)
    report = import_catalogue(second, kind="courses")

    assert report.created == [] and report.updated == ["XM002"] and report.unchanged == ["XM001", "XM003"]
    assert Page.objects.count() == pages_before
    assert Revision.objects.count() == revisions_before + 1
    course = CoursePage.objects.get(code="XM002")
    assert course.title == "肉牛养殖技术（第二版）" and course.live and not course.has_unpublished_changes

    again = import_catalogue(second, kind="courses")
    assert again.updated == [] and len(again.unchanged) == 3
    assert Revision.objects.count() == revisions_before + 1


def test_reimport_keeps_a_teachers_draft_unpublished(section, tmp_path):
    path = write_csv(tmp_path / "v1.csv", COURSE_HEADERS, course_rows(1))
    import_catalogue(path, kind="courses")
    course = CoursePage.objects.get(code="XM001")
    course.summary = "教师正在修改的草稿"
    course.save_revision()

    rows = course_rows(1, title_suffix="（修订）")
    report = import_catalogue(write_csv(tmp_path / "v2.csv", COURSE_HEADERS, rows), kind="courses")
    assert report.updated == ["XM001"]
    course.refresh_from_db()
    assert course.title == "肉牛养殖技术1"  # live content untouched
    latest = course.get_latest_revision_as_object()
    assert latest.title == "肉牛养殖技术1（修订）" and latest.summary == "第1门课程：肉牛饲养管理。"


def test_columns_left_out_keep_existing_values(section, tmp_path):
    import_catalogue(write_csv(tmp_path / "full.csv", COURSE_HEADERS, course_rows(1)), kind="courses")
    headers = ["课程代码", "课程名称", "院校代码", "层次"]
    report = import_catalogue(
        write_csv(tmp_path / "short.csv", headers, [["XM001", "新标题", "GSAHVC", "higher"]]), kind="courses")
    assert report.updated == ["XM001"]
    course = CoursePage.objects.get(code="XM001")
    assert course.title == "新标题" and course.class_hours == 40 and course.industries.count() == 2


def test_bad_rows_are_each_reported_and_nothing_is_imported(section, tmp_path):
    rows = course_rows(5)
    rows[1][2] = "NOPE"            # row 3: unknown institution
    rows[2][3] = "博士"             # row 4: unknown level
    rows[3][4] = "两个"             # row 5: credits not a number
    rows[4][0] = "XM001"           # row 6: duplicate of row 2
    path = write_xlsx(tmp_path / "bad.xlsx", COURSE_HEADERS, rows)
    pages_before = Page.objects.count()

    report = import_catalogue(path, kind="courses")
    assert not report.applied
    assert [(p.line, p.code) for p in report.problems] == [(3, "XM002"), (4, "XM003"), (5, "XM004"), (6, "XM001")]
    messages = [p.message for p in report.problems]
    assert "NOPE" in messages[0] and "institution" in messages[0]
    assert "博士" in messages[1] and "level" in messages[1]
    assert "credits" in messages[2]
    assert "row 2" in messages[3]
    assert Page.objects.count() == pages_before

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("courses_import", str(path), verbosity=0)
    assert Page.objects.count() == pages_before


def test_skip_bad_rows_imports_the_good_ones(section, tmp_path):
    rows = course_rows(3)
    rows[1][10] = "长" * 1001  # summary too long
    path = write_csv(tmp_path / "mixed.csv", COURSE_HEADERS, rows)
    call_command("courses_import", str(path), "--skip-bad-rows", verbosity=0)
    assert sorted(CoursePage.objects.values_list("code", flat=True)) == ["XM001", "XM003"]


def test_missing_required_cells_and_new_course_without_summary(section, tmp_path):
    rows = [["", "无代码课程", "GSAHVC", "高职", "", "", "", "", "", "", "简介", "", "", "", ""],
            ["XM009", "", "GSAHVC", "高职", "", "", "", "", "", "", "", "", "", "", ""]]
    report = import_catalogue(write_csv(tmp_path / "m.csv", COURSE_HEADERS, rows), kind="courses")
    assert [p.line for p in report.problems] == [2, 3]
    assert "code is required" in report.problems[0].message
    assert "title is required" in report.problems[1].message
    assert CoursePage.objects.count() == 0


def test_a_course_of_another_institution_is_not_moved(section, tmp_path):
    from tests import factories

    other = factories.course(factories.section(factories.institution(code="OTHER")), code="XM001")
    report = import_catalogue(write_csv(tmp_path / "c.csv", COURSE_HEADERS, course_rows(1)), kind="courses")
    assert report.problems and "another institution" in report.problems[0].message
    other.refresh_from_db()
    assert other.institution.code == "OTHER"


def test_dry_run_reports_without_writing(section, tmp_path):
    path = write_csv(tmp_path / "c.csv", COURSE_HEADERS, course_rows(2))
    call_command("courses_import", str(path), "--dry-run", verbosity=0)
    report = import_catalogue(path, kind="courses", dry_run=True)
    assert report.created == ["XM001", "XM002"] and not report.applied
    assert CoursePage.objects.count() == 0


def test_validation_runs_a_fixed_number_of_queries_however_many_rows(section, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(n):
        path = write_csv(tmp_path / f"q{n}.csv", COURSE_HEADERS, course_rows(n))
        with CaptureQueriesContext(connection) as captured:
            report = import_catalogue(path, kind="courses", dry_run=True)
        assert len(report.created) == n
        return len(captured)

    assert queries_for(60) == queries_for(3)

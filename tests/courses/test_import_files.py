"""Import file handling: encodings Excel in China produces, and clear refusals for everything else."""
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from courses.importing import UnreadableFile, import_catalogue
from courses.models import CoursePage
from tests.courses.import_helpers import COURSE_HEADERS, course_rows, taxonomy, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the platform's default language is zh-Hans."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _taxonomy():
    taxonomy()


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-8"])
def test_chinese_csv_in_every_encoding_excel_saves(tmp_path, encoding):
    path = write_csv(tmp_path / "c.csv", COURSE_HEADERS, course_rows(2), encoding=encoding)
    report = import_catalogue(path, kind="courses")
    assert report.ok and len(report.created) == 2
    assert CoursePage.objects.get(code="XM001").title == "肉牛养殖技术1"
    assert CoursePage.objects.get(code="XM001").industries.count() == 2


def test_chinese_headers_are_understood(tmp_path):
    headers = ["课程代码", "课程名称", "院校代码", "层次", "学分", "学时", "产业", "课程简介", "精品课程"]
    rows = [["ZW001", "高原夏菜栽培", "GSAHVC", "中职", "1.5", "24", "羊", "简介", "否"]]
    report = import_catalogue(write_csv(tmp_path / "zh.csv", headers, rows, encoding="gb18030"), kind="courses")
    assert report.ok, report.problems
    course = CoursePage.objects.get(code="ZW001")
    assert course.level == "secondary" and not course.is_quality_course and course.class_hours == 24


@pytest.mark.parametrize("name, content, message", [
    ("c.txt", b"code,title\n", "Unsupported file type .txt"),
    ("c.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 60, "Old Excel files"),
    ("c.xlsx", b"code,title\nA,B\n", "not a valid .xlsx"),
    ("c.csv", b"", "empty"),
    ("c.csv", "code,title\n".encode("utf-16"), "UTF-16"),
    ("c.csv", b"code,title\n\x81\xff\xfe,x\n", "neither UTF-8 nor GB18030"),
    ("c.csv", b"PK\x03\x04rest-of-a-zip", "Excel workbook, not CSV"),
])
def test_other_files_are_refused_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        import_catalogue(path, kind="courses")
    with pytest.raises(CommandError, match=message):
        call_command("courses_import", str(path), verbosity=0)


def test_missing_required_columns_are_named(tmp_path):
    path = write_csv(tmp_path / "c.csv", ["code", "title"], [["A1", "标题"]])
    with pytest.raises(CommandError, match="institution_code.*level"):
        call_command("courses_import", str(path), verbosity=0)


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        call_command("courses_import", str(tmp_path / "nope.csv"), verbosity=0)


def test_blank_rows_keep_the_row_numbers_a_person_sees(tmp_path):
    rows = course_rows(2)
    rows.insert(1, [""] * len(COURSE_HEADERS))
    rows[2][3] = "博士"
    report = import_catalogue(write_csv(tmp_path / "c.csv", COURSE_HEADERS, rows), kind="courses")
    assert [p.line for p in report.problems] == [4]
    assert CoursePage.objects.count() == 0


def test_unknown_columns_are_reported_not_fatal(tmp_path):
    headers = [*COURSE_HEADERS, "备注"]
    rows = [[*row, "内部备注"] for row in course_rows(1)]
    report = import_catalogue(write_csv(tmp_path / "c.csv", headers, rows), kind="courses")
    assert report.ok and report.ignored_columns == ["备注"]


def test_messages_are_in_chinese_in_the_default_language(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("code\n")
    with translation.override("zh-hans"), pytest.raises(UnreadableFile, match="不支持的文件类型 .txt"):
        import_catalogue(path, kind="courses")
    rows = course_rows(1)
    rows[0][3] = "博士"
    with translation.override("zh-hans"):
        report = import_catalogue(write_csv(tmp_path / "c.csv", COURSE_HEADERS, rows), kind="courses")
    assert "无法识别" in report.problems[0].message

"""Resource import: into libraries by slug, links and files, idempotent, never outside its folder."""
import pytest
from django.utils import translation
from wagtail.documents import get_document_model

from courses.importing import import_catalogue
from courses.models import ResourcePage
from tests import factories
from tests.courses.import_helpers import taxonomy, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the platform's default language is zh-Hans."""
    with translation.override("en"):
        yield

HEADERS = ["code", "title", "library", "resource_type", "link", "file", "licence", "author", "level",
           "industry", "keywords", "description"]


@pytest.fixture
def library():
    _inst, section = taxonomy()
    return factories.library(section, slug="animal-husbandry")


def rows(n=2):
    return [[f"R{i:03d}", f"牛舍设计视频{i}", "animal-husbandry", "链接", f"https://example.org/r/{i}", "",
             "CC BY 4.0", "张老师", "高职", "牛", "牛舍、通风，设计", "说明"] for i in range(1, n + 1)]


def test_link_resources_are_created_in_the_library_then_updated_idempotently(library, tmp_path):
    report = import_catalogue(write_xlsx(tmp_path / "r.xlsx", HEADERS, rows()), kind="resources")
    assert report.ok and report.created == ["R001", "R002"]
    resource = ResourcePage.objects.get(code="R001")
    assert resource.live and resource.get_parent().pk == library.pk
    assert resource.resource_type == "link" and resource.licence == "cc-by-4.0" and resource.level == "higher"
    assert resource.industry.code == "cattle"
    assert sorted(t.name for t in resource.keywords.all()) == ["牛舍", "设计", "通风"]

    changed = rows()
    changed[0][1] = "牛舍设计（新版）"
    report = import_catalogue(write_csv(tmp_path / "r.csv", HEADERS, changed), kind="resources")
    assert report.updated == ["R001"] and report.unchanged == ["R002"]
    assert ResourcePage.objects.count() == 2
    assert ResourcePage.objects.get(code="R001").title == "牛舍设计（新版）"


def test_file_resources_store_the_file_once(library, tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "guide.pdf").write_bytes(b"%PDF-1.4 demo")
    data = [["D001", "牛舍建设规范", "animal-husbandry", "document", "",
             "files/guide.pdf", "", "李老师", "", "", "", ""]]
    path = write_csv(tmp_path / "r.csv", HEADERS, data)
    assert import_catalogue(path, kind="resources").created == ["D001"]
    resource = ResourcePage.objects.get(code="D001")
    assert resource.file.file.read() == b"%PDF-1.4 demo"
    again = import_catalogue(path, kind="resources")
    assert again.unchanged == ["D001"]
    assert get_document_model().objects.count() == 1


def test_bad_resource_rows_report_their_reasons(library, tmp_path):
    (tmp_path / "evil.exe").write_bytes(b"MZ")
    data = rows(6)
    data[0][2] = "no-such-library"
    data[1][3] = "document"                       # needs a file
    data[2][4] = "ftp://example.org/x"            # not http(s)
    data[3][5] = "../../etc/passwd"               # outside the folder
    data[4][5] = "evil.exe"
    data[4][3] = "document"
    data[5][7] = ""                               # no author
    report = import_catalogue(write_csv(tmp_path / "r.csv", HEADERS, data), kind="resources")
    reasons = {p.line: p.message for p in report.problems}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7]
    assert "no-such-library" in reasons[2]
    assert "needs its file" in reasons[3]
    assert "http" in reasons[4]
    assert "inside the spreadsheet's folder" in reasons[5]
    assert ".exe" in reasons[6]
    assert "author is required" in reasons[7]
    assert ResourcePage.objects.count() == 0

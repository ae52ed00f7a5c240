"""Cohort enrolment from CSV/XLSX by an institution admin, for their own institution's offerings."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lms.enrollment import api
from lms.enrollment.models import Enrollment
from tests import factories
from tests.accounts.people import institution_admin, learner
from tests.enrollment.helpers import offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return institution_admin()


def csv_file(text, name="cohort.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_enrol_a_cohort_from_csv(client, admin):
    iri = offering(institution=admin.profile.institution)
    a, b = learner(username="zhang"), learner(mobile="13812340000")
    api.enrol(learner(username="already"), iri)
    client.force_login(admin)
    response = client.post("/learning/cohorts/", {
        "offering": iri, "file": csv_file("用户名\nzhang\n138 1234 0000\nalready\nzhang\n", encoding="gb18030")})
    assert response.status_code == 302
    rows = Enrollment.objects.filter(offering__iri=iri)
    assert rows.count() == 3
    assert set(rows.filter(source="cohort").values_list("user_id", flat=True)) == {a.pk, b.pk}
    assert rows.get(user=a).enrolled_by == admin


def test_enrol_a_cohort_from_xlsx(client, admin):
    iri = offering(institution=admin.profile.institution)
    learner(mobile="13812340000")
    book = Workbook()
    book.active.append(["手机号"])
    book.active.append([13812340000])
    out = io.BytesIO()
    book.save(out)
    client.force_login(admin)
    upload = SimpleUploadedFile("c.xlsx", out.getvalue())
    response = client.post("/learning/cohorts/", {"offering": iri, "file": upload})
    assert response.status_code == 302
    assert Enrollment.objects.filter(offering__iri=iri).count() == 1


def test_unknown_learners_are_listed_by_row_and_nobody_is_enrolled(client, admin):
    iri = offering(institution=admin.profile.institution)
    learner(username="zhang")
    client.force_login(admin)
    response = client.post("/learning/cohorts/", {"offering": iri, "file": csv_file("zhang\nghost\n\n13900000000\n")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "No one was enrolled" in html and "Row 2" in html and "ghost" in html and "Row 4" in html
    assert not Enrollment.objects.exists()


def test_over_quota_cohort_enrols_nobody(client, admin):
    iri = offering(kind="package", quota=1, institution=admin.profile.institution)
    learner(username="a1"), learner(username="a2")
    client.force_login(admin)
    response = client.post("/learning/cohorts/", {"offering": iri, "file": csv_file("a1\na2\n")})
    assert response.status_code == 400 and "is full" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_another_institutions_offering_is_not_offered_nor_accepted(client, admin):
    theirs = offering(institution=factories.institution())
    learner(username="zhang")
    client.force_login(admin)
    assert theirs not in client.get("/learning/cohorts/").content.decode()
    response = client.post("/learning/cohorts/", {"offering": theirs, "file": csv_file("zhang\n")})
    assert response.status_code == 400  # not one of the choices
    assert not Enrollment.objects.exists()


def test_learners_cannot_enrol_cohorts(client):
    client.force_login(learner())
    assert client.get("/learning/cohorts/").status_code == 403


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("c.pdf", b"%PDF-1.4"), "Upload a .csv or .xlsx file"),
    (SimpleUploadedFile("c.xlsx", b"zhang\n"), "not a readable .xlsx file"),
    (SimpleUploadedFile("c.csv", b"\xff\xfe\x00z\x00h"), "neither UTF-8 nor GBK"),
    (SimpleUploadedFile("c.csv", b"\x89PNG\r\n\x1a\n\x00\x00"), "not plain text"),
    (SimpleUploadedFile("c.csv", b"x" * (1024 * 1024 + 1)), "larger than 1 MB"),
    (SimpleUploadedFile("c.csv", b"username\n\n"), "names no learners"),
])
def test_bad_files_are_refused(client, admin, upload, message):
    iri = offering(institution=admin.profile.institution)
    client.force_login(admin)
    response = client.post("/learning/cohorts/", {"offering": iri, "file": upload})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Enrollment.objects.exists()

"""An institution admin resets its own learners' passwords and creates learners in bulk from XLSX."""
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from lms.accounts.models import Profile
from tests import factories
from tests.accounts.people import PASSWORD, institution_admin, learner

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def admin():
    return institution_admin()


def reset(client, user_id, password="New-Gansu-2026!"):
    return client.post(f"/accounts/institution/learners/{user_id}/password/",
                       {"new_password1": password, "new_password2": password})


def test_reset_the_password_of_an_own_learner(client, admin):
    student = learner(institution=admin.profile.institution)
    client.force_login(admin)
    assert reset(client, student.pk).status_code == 302
    student.refresh_from_db()
    assert student.check_password("New-Gansu-2026!")


def test_another_institutions_admin_gets_403_and_nothing_changes(client, admin):
    other = learner(institution=factories.institution())
    client.force_login(admin)
    assert client.get(f"/accounts/institution/learners/{other.pk}/password/").status_code == 403
    assert reset(client, other.pk).status_code == 403
    other.refresh_from_db()
    assert other.check_password(PASSWORD)


def test_a_learner_or_teacher_cannot_reset_anyone(client, admin):
    student = learner(institution=admin.profile.institution)
    classmate = learner(institution=admin.profile.institution)
    client.force_login(classmate)
    assert reset(client, student.pk).status_code == 403
    assert client.get("/accounts/institution/learners/").status_code == 403


def test_a_weak_new_password_is_refused(client, admin):
    student = learner(institution=admin.profile.institution)
    client.force_login(admin)
    response = reset(client, student.pk, password="123")
    assert response.status_code == 400 and "too short" in response.content.decode()
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def xlsx(rows, header=("用户名 username", "手机号 mobile", "姓名 real name", "学员类型 learner type",
                       "地区代码 region code", "初始密码 password")):
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("learners.xlsx", out.getvalue(), content_type=XLSX)


def test_the_template_downloads_and_is_accepted_as_is(client, admin):
    factories.region(code="620100", name="兰州市")
    client.force_login(admin)
    response = client.get("/accounts/institution/learners/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    upload = SimpleUploadedFile("template.xlsx", response.content, content_type=XLSX)
    response = client.post("/accounts/institution/learners/import/", {"file": upload})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Profile.objects.get(mobile="13800000000").real_name == sheet["C2"].value


def test_bulk_create_learners_for_the_admins_institution(client, admin):
    city = factories.region(code="620500", name="天水市")
    client.force_login(admin)
    upload = xlsx([("", 13911112222, "李四", "农民", "620500", "Gansu-2026-li"),
                   ("wangwu", "", "王五", "worker", city.code, "Gansu-2026-wang")])
    response = client.post("/accounts/institution/learners/import/", {"file": upload})
    assert response.status_code == 302
    created = {p.user.username: p for p in Profile.objects.filter(role="learner").select_related("user")}
    assert set(created) == {"13911112222", "wangwu"}
    assert all(p.institution_id == admin.profile.institution_id for p in created.values())
    assert created["13911112222"].mobile == "13911112222" and created["wangwu"].learner_type == "worker"
    assert created["wangwu"].user.check_password("Gansu-2026-wang")


def test_bad_rows_are_listed_by_row_number_and_nothing_is_created(client, admin):
    factories.region(code="620500", name="天水市")
    learner(username="taken")
    client.force_login(admin)
    before = User.objects.count()
    upload = xlsx([
        ("good1", "", "好人", "farmer", "620500", "Gansu-2026-ok1"),  # row 2: fine on its own
        ("taken", "", "重名", "farmer", "620500", "Gansu-2026-ok2"),  # row 3: username exists
        ("", "1234", "坏号", "farmer", "620500", "Gansu-2026-ok3"),  # row 4: bad mobile, no username
        ("good4", "", "", "pilot", "999999", "123"),  # row 5: four problems
        ("good1", "", "又一个", "farmer", "620500", "Gansu-2026-ok5"),  # row 6: duplicate of row 2
    ])
    response = client.post("/accounts/institution/learners/import/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was created" in html
    for row, text in [(3, "already exists"), (4, "is not a mainland China mobile number"),
                      (5, "real name is required"), (5, "Unknown learner type"), (5, "is not the code of a city"),
                      (5, "too short"), (6, "Same as row 2")]:
        assert f"<td>{row}</td>" in html and text in html, (row, text)
    assert User.objects.count() == before


@pytest.mark.parametrize("name, content, message", [
    ("learners.xlsx", b"PK\x03\x04 not really a workbook", "This is not an Excel .xlsx file"),
    ("learners.xlsx", b"username,mobile\nzhang,138\n", "This is not an Excel .xlsx file"),
])
def test_a_disguised_file_is_refused(client, admin, name, content, message):
    client.force_login(admin)
    response = client.post("/accounts/institution/learners/import/",
                           {"file": SimpleUploadedFile(name, content, content_type=XLSX)})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_sheet_without_the_columns_is_refused(client, admin):
    client.force_login(admin)
    response = client.post("/accounts/institution/learners/import/", {"file": xlsx([("a",)], header=("name",))})
    assert response.status_code == 400 and "missing" in response.content.decode()


def test_an_oversized_file_is_refused(client, admin):
    client.force_login(admin)
    big = SimpleUploadedFile("big.xlsx", b"0" * (2 * 1024 * 1024 + 1), content_type=XLSX)
    response = client.post("/accounts/institution/learners/import/", {"file": big})
    assert response.status_code == 400 and "larger than 2 MB" in response.content.decode()


def test_the_learner_list_runs_constant_queries_and_shows_only_own_learners(client, admin,
                                                                             django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    own = learner(institution=admin.profile.institution, region=factories.region())
    stranger = learner(institution=factories.institution())
    client.force_login(admin)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/accounts/institution/learners/").content.decode()
    assert own.profile.real_name in html and stranger.profile.real_name not in html
    for _ in range(20):
        learner(institution=admin.profile.institution, region=factories.region())
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/accounts/institution/learners/").content.decode()
    assert html.count("/password/") == 21

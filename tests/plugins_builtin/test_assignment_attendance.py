"""Assignments: type checked from content, size limits, scoring by the course's institution only.
Attendance: a trainer signs off listed learners, all or nothing."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lms.accounts import api as accounts
from plugins.builtin.assignment.models import Submission
from tests import factories

from ..progress.helpers import committed, enrolled, learner
from .helpers import lesson_with_activities
from .test_quiz import verbs

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def teacher_of(inst, role=accounts.Role.TEACHER):
    return accounts.create_person(username=f"t-{inst.pk}-{role}", password="x-Pass-2026!", real_name="李老师",
                                  role=role, institution=inst)


@pytest.fixture
def setup(client):
    inst = factories.institution()
    course, lesson, _bank = lesson_with_activities(institution=inst, max_mb=1)
    user = enrolled(learner(), course)
    client.force_login(user)
    client.course = course
    return client, user, lesson, inst


def upload(client, lesson, name, content):
    with committed():
        return client.post(f"/activities/assignment/{lesson.pk}/work/submit/",
                           {"file": SimpleUploadedFile(name, content)})


def test_upload_and_score(setup):
    learner_client, user, lesson, inst = setup
    client = Client()
    assert upload(learner_client, lesson, "作品.pdf", PDF).status_code == 302
    submission = Submission.objects.get(learner=user)
    assert submission.file_type == "pdf" and submission.original_name == "作品.pdf"
    outsider = teacher_of(factories.institution())
    client.force_login(outsider)
    assert client.post(f"/activities/assignment/submission/{submission.pk}/score/",
                       {"score": "90"}).status_code == 403
    assert client.get(f"/activities/assignment/submission/{submission.pk}/file/").status_code == 403
    client.force_login(teacher_of(inst))
    assert "作品.pdf" in client.get("/activities/assignment/review/").content.decode()
    assert client.post(f"/activities/assignment/submission/{submission.pk}/score/",
                       {"score": "101"}).status_code == 400
    with committed():
        ok = client.post(f"/activities/assignment/submission/{submission.pk}/score/",
                         {"score": "85", "comment": "针脚均匀，配色好"})
    assert ok.status_code == 302
    submission.refresh_from_db()
    assert submission.score == 85 and submission.comment == "针脚均匀，配色好"
    assert verbs(user) == ["attempted", "scored"]
    assert client.post(f"/activities/assignment/submission/{submission.pk}/score/",
                       {"score": "10"}).status_code == 409
    assert upload(learner_client, lesson, "new.pdf", PDF).status_code == 409  # final once scored
    assert "针脚均匀" in learner_client.get(lesson.url).content.decode()


@pytest.mark.parametrize("name,content,status", [
    ("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, 415),  # an executable renamed
    ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, 415),  # a real PNG with the wrong name
    ("notes.docx", PDF, 415),  # a type the assignment does not accept
    ("big.pdf", PDF + b"0" * (1024 * 1024), 413),  # over the 1 MB limit
])
def test_disguised_or_oversized_files_are_refused(setup, name, content, status):
    client, user, lesson, _inst = setup
    response = upload(client, lesson, name, content)
    assert response.status_code == status and response.content.decode().count('role="alert"') == 1
    assert not Submission.objects.exists() and verbs(user) == []


def test_png_named_png_is_accepted(setup):
    client, user, lesson, _inst = setup
    buffer = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert upload(client, lesson, "work.PNG", buffer.getvalue()).status_code == 302


def test_attendance_sign_off(setup):
    learner_client, user, lesson, inst = setup
    client = Client()
    other = enrolled(learner(mobile="13900002222"), learner_client.course)
    url = f"/activities/attendance/{lesson.pk}/visit/sign-off/"
    assert learner_client.post(url, {"learners": user.username}).status_code == 403
    client.force_login(teacher_of(factories.institution()))
    assert client.get(url).status_code == 403
    trainer = teacher_of(inst)
    client.force_login(trainer)
    refused = client.post(url, {"learners": f"{user.username}\nnobody-here"})
    assert refused.status_code == 400 and "nobody-here" in refused.content.decode()
    assert verbs(user) == []
    with committed():
        assert client.post(url, {"learners": f"{user.username}\n13900002222"}).status_code == 200
    assert verbs(user) == ["attended"] and verbs(other) == ["attended"]
    assert "✓" in learner_client.get(lesson.url).content.decode()

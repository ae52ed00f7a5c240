"""Serving documents from local storage: ranges, Chinese names, safe headers, private files."""
import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile

from media.models import CourseDocument

from . import enrolments, samples

pytestmark = pytest.mark.django_db

COURSE_IRI = "https://skills.gansu.edu.cn/xapi/activities/course/C001"


def document(data: bytes, name: str, *, content_type="", **fields) -> CourseDocument:
    doc = CourseDocument(title=name, content_type=content_type, **fields)
    doc.file.save(name, ContentFile(data), save=False)
    doc._set_document_file_metadata()
    doc.save()
    return doc


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def video():
    return document(samples.MP4, "肉牛养殖.mp4", content_type="video/mp4")


def test_whole_file_with_range_support_and_chinese_name(client, video):
    response = client.get(video.url)
    assert response.status_code == 200
    assert body(response) == samples.MP4
    assert response["Accept-Ranges"] == "bytes" and response["Content-Length"] == str(len(samples.MP4))
    assert response["Content-Type"] == "video/mp4" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E8%82%89%E7%89%9B%E5%85%BB%E6%AE%96.mp4")


@pytest.mark.parametrize("header, first, last", [
    ("bytes=0-9", 0, 9), ("bytes=100-", 100, None), ("bytes=-16", -16, None), ("bytes=5-999999", 5, None),
])
def test_single_ranges_get_206(client, video, header, first, last):
    response = client.get(video.url, HTTP_RANGE=header)
    size = len(samples.MP4)
    expected = samples.MP4[first:None if last is None else last + 1]
    assert response.status_code == 206
    assert body(response) == expected
    start = first if first >= 0 else size + first
    assert response["Content-Range"] == f"bytes {start}-{start + len(expected) - 1}/{size}"
    assert response["Content-Length"] == str(len(expected))


def test_unsatisfiable_range_gets_416(client, video):
    response = client.get(video.url, HTTP_RANGE=f"bytes={len(samples.MP4)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(samples.MP4)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=abc"])
def test_multiple_or_malformed_ranges_get_the_whole_file(client, video, header):
    response = client.get(video.url, HTTP_RANGE=header)
    assert response.status_code == 200 and body(response) == samples.MP4


def test_stale_if_range_gets_the_whole_file(client, video):
    response = client.get(video.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"')
    assert response.status_code == 200


def test_download_parameter_forces_attachment(client, video):
    response = client.get(video.url + "?download=1")
    assert response["Content-Disposition"].startswith("attachment;")


def test_captions_are_served_inline_as_webvtt(client):
    captions = document(samples.VTT, "字幕.vtt", content_type="text/vtt")
    response = client.get(captions.url)
    assert response["Content-Type"] == "text/vtt" and response["Content-Disposition"].startswith("inline;")


def test_active_content_that_got_in_is_only_ever_an_attachment(client):
    page = document(samples.HTML, "旧网页.html")  # e.g. imported before the upload checks existed
    response = client.get(page.url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def private_doc(settings):
    settings.SKILLS_GANSU_ENROLMENT_STATE = "tests.media.enrolments.enrolment_state"
    enrolments.ENROLLED.clear()
    return document(samples.PDF, "内部讲义.pdf", content_type="application/pdf", offering_iri=COURSE_IRI)


def test_private_files_need_an_enrolment(client, private_doc):
    response = client.get(private_doc.url)
    assert response.status_code == 302 and "/login/" in response["Location"]

    learner = User.objects.create_user("learner")
    client.force_login(learner)
    assert client.get(private_doc.url).status_code == 403

    enrolments.ENROLLED.add((learner.pk, COURSE_IRI))
    response = client.get(private_doc.url)
    assert response.status_code == 200 and body(response) == samples.PDF


def test_staff_who_manage_documents_may_download_private_files(client, private_doc):
    editor = User.objects.create_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="change_coursedocument"))
    client.force_login(editor)
    assert client.get(private_doc.url).status_code == 200


def test_private_files_fail_closed_when_the_enrolment_check_is_missing(client, private_doc, settings):
    settings.SKILLS_GANSU_ENROLMENT_STATE = "lms.no_such_app.api.enrolment_state"
    client.force_login(User.objects.create_user("learner"))
    assert client.get(private_doc.url).status_code == 403


@pytest.mark.skipif(not apps.is_installed("lms.enrollment"), reason="lms.enrollment is not installed yet")
def test_with_the_real_enrolment_app(client, settings):
    from lms.enrollment import api as enrollment

    settings.SKILLS_GANSU_ENROLMENT_STATE = "lms.enrollment.api.enrolment_state"
    doc = document(samples.PDF, "讲义.pdf", content_type="application/pdf", offering_iri=COURSE_IRI)
    enrollment.publish_offering(iri=COURSE_IRI, kind="course", title="肉牛养殖", url="/c/", institution_id=None,
                                quota=None, is_open=True)
    learner = User.objects.create_user("learner")
    client.force_login(learner)
    assert client.get(doc.url).status_code == 403
    enrollment.enrol(learner, COURSE_IRI)
    assert client.get(doc.url).status_code == 200

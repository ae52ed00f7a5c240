"""Uploads are judged by their bytes: type, extension agreement, active content, per-kind size limits."""
import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from media import api

from . import samples


def upload(data: bytes, name: str) -> ContentFile:
    return ContentFile(data, name=name)


@pytest.mark.parametrize("data, name, content_type, kind", [
    (samples.PDF, "养殖手册.pdf", "application/pdf", "document"),
    (samples.png(), "牛舍.PNG", "image/png", "image"),
    (samples.MP4, "消毒.mp4", "video/mp4", "video"),
    (samples.VTT, "消毒.zh.vtt", "text/vtt", "captions"),
    (samples.docx(), "教案.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "document"),
    (samples.zip_bytes({"imsmanifest.xml": b"<manifest/>"}), "课件.zip", "application/zip", "package"),
    ("第一行，中文文本。\n".encode(), "说明.txt", "text/plain", "document"),
    (samples.SVG_SAFE, "图标.svg", "image/svg+xml", "image"),
])
def test_accepted_types_are_sniffed_from_content(data, name, content_type, kind):
    checked = api.check_upload(upload(data, name))
    assert (checked.content_type, checked.kind, checked.size) == (content_type, kind, len(data))


@pytest.mark.parametrize("data, name, code", [
    (samples.HTML, "notes.pdf", "active_content"),
    (samples.HTML, "page.html", "active_content"),
    (samples.SVG_SCRIPT, "logo.svg", "active_content"),
    (samples.SVG_HANDLER, "logo.svg", "active_content"),
    (samples.EXE, "setup.pdf", "type"),
    (samples.png(), "report.pdf", "extension"),
    (samples.PDF, "no-extension", "extension"),
    (b"", "empty.pdf", "empty"),
])
def test_refused_uploads_say_why(data, name, code):
    with pytest.raises(api.UploadRejected) as error:
        api.check_upload(upload(data, name))
    assert error.value.code == code
    assert error.value.messages[0]


def test_kinds_limit_what_a_field_accepts():
    with pytest.raises(api.UploadRejected) as error:
        api.check_upload(upload(samples.PDF, "a.pdf"), kinds={"image"})
    assert error.value.code == "kind"


def test_size_limits_are_per_kind(settings):
    settings.SKILLS_GANSU_UPLOAD_LIMITS = {"document": 50}
    with translation.override("en"), pytest.raises(api.UploadRejected, match="at most") as error:
        api.check_upload(upload(samples.PDF, "big.pdf"))
    assert error.value.code == "size"
    assert api.check_upload(upload(samples.png(), "small.png")).kind == "image"  # other kinds keep theirs


def test_sniffing_leaves_the_file_position_alone():
    file = upload(samples.PDF, "a.pdf")
    file.seek(5)
    api.check_upload(file)
    assert file.tell() == 5


def test_messages_are_translated_into_chinese():
    with translation.override("zh-hans"), pytest.raises(api.UploadRejected) as error:
        api.check_upload(upload(samples.HTML, "page.html"))
    assert error.value.messages[0].startswith("不能上传网页（HTML）文件")

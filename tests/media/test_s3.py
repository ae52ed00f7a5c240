"""Object storage against a real S3-speaking server: admin uploads, downloads through signed URLs,
Chinese names, ranges served by the store, refused uploads leaving nothing behind."""
import urllib.parse
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Collection

from media import api
from media.models import CourseDocument, CourseImage

from . import samples

pytestmark = pytest.mark.django_db


def keys(client, bucket) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def fetch(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return response.status, response.headers, response.read()  # headers: case-insensitive


def upload_document(admin_client, data: bytes, name: str):
    return admin_client.post("/admin/documents/add/", {
        "title": name.rsplit(".", 1)[0], "file": SimpleUploadedFile(name, data),
        "collection": Collection.get_first_root_node().pk, "licence": "cc-by-4.0",
    })


def test_admin_upload_and_signed_download_keep_the_chinese_name(admin_client, s3_bucket):
    client, bucket = s3_bucket
    response = upload_document(admin_client, samples.PDF, "肉牛养殖手册.pdf")
    assert response.status_code == 302, response.content[:500]
    document = CourseDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert keys(client, bucket) == ["documents/肉牛养殖手册.pdf"]

    response = admin_client.get(document.url)
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query

    status, headers, body = fetch(signed)
    assert status == 200 and body == samples.PDF
    assert headers["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E8%82%89%E7%89%9B%E5%85%BB%E6%AE%96%E6%89%8B%E5%86%8C.pdf" in headers[
        "Content-Disposition"]


def test_the_bucket_is_private(s3_bucket, s3_endpoint):
    client, bucket = s3_bucket
    client.put_object(Bucket=bucket, Key="documents/x.pdf", Body=samples.PDF)
    with pytest.raises(urllib.error.HTTPError) as error:
        fetch(f"{s3_endpoint}/{bucket}/documents/x.pdf")
    assert error.value.code == 403


def test_video_ranges_are_served_by_the_store(s3_bucket):
    video = CourseDocument(title="视频", content_type="video/mp4")
    video.file.save("消毒流程.mp4", ContentFile(samples.MP4), save=True)
    url = api.signed_url(video, expires=60)
    assert "X-Amz-Expires=60" in url
    status, headers, body = fetch(url, Range="bytes=0-99")
    assert status == 206 and body == samples.MP4[:100]
    assert headers["Content-Range"] == f"bytes 0-99/{len(samples.MP4)}"
    assert headers["Content-Disposition"].startswith("inline;")


def test_refused_admin_upload_writes_nothing(admin_client, s3_bucket):
    client, bucket = s3_bucket
    response = upload_document(admin_client, samples.HTML, "通知.pdf")
    assert response.status_code == 200
    assert "不能上传网页（HTML）文件" in response.content.decode()  # zh-Hans is the default language
    assert CourseDocument.objects.count() == 0 and keys(client, bucket) == []


def test_admin_image_upload(admin_client, s3_bucket):
    client, bucket = s3_bucket
    response = admin_client.post("/admin/images/add/", {
        "title": "牛舍", "file": SimpleUploadedFile("牛舍.png", samples.png()),
        "collection": Collection.get_first_root_node().pk,
    })
    assert response.status_code == 302, response.content[:500]
    image = CourseImage.objects.get()
    assert (image.width, image.height) == (8, 8)
    # Wagtail transliterates image file names (牛舍 -> NiuShe); images are shown, not downloaded by name
    assert keys(client, bucket) == ["original_images/NiuShe.png"]

    response = admin_client.post("/admin/images/add/", {
        "title": "假图", "file": SimpleUploadedFile("假图.png", samples.PDF),
        "collection": Collection.get_first_root_node().pk,
    })
    assert response.status_code == 200 and CourseImage.objects.count() == 1


def test_packages_unpack_into_the_bucket(s3_bucket):
    client, bucket = s3_bucket
    package = ContentFile(samples.zip_bytes({"imsmanifest.xml": b"<m/>", "课件/第一课.html": b"<p>1</p>"}),
                          name="课件.zip")
    result = api.unpack_package(package, prefix="packages/7")
    assert keys(client, bucket) == ["packages/7/imsmanifest.xml", "packages/7/课件/第一课.html"]
    assert result.files == ("packages/7/imsmanifest.xml", "packages/7/课件/第一课.html")

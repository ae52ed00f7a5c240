"""Zip packages: unpacked with Chinese names kept; traversal, links, bombs and floods refused, nothing left."""
import io
import stat
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from media import api

from . import samples


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path)


def package(members, name="课件.zip", **kwargs):
    return ContentFile(samples.zip_bytes(members, **kwargs), name=name)


def stored_files(tmp_path):
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())


def test_unpacks_with_chinese_names(storage, tmp_path):
    result = api.unpack_package(package({
        "imsmanifest.xml": b"<manifest/>", "课程/第一课.html": "<p>牛</p>".encode(), "课程/": b"",
    }), prefix="packages/42", storage=storage)
    assert result.files == ("packages/42/imsmanifest.xml", "packages/42/课程/第一课.html")
    assert result.total_size == len(b"<manifest/>") + len("<p>牛</p>".encode())
    assert (tmp_path / "packages/42/课程/第一课.html").read_text() == "<p>牛</p>"


def test_gbk_names_from_chinese_windows_tools_are_decoded(storage):
    gbk = "教案.txt".encode("gbk")
    placeholder = b"X" * (len(gbk) - 4) + b".txt"
    raw = samples.zip_bytes({placeholder.decode(): b"text"}).replace(placeholder, gbk)  # no UTF-8 flag
    out = io.BytesIO(raw)
    result = api.unpack_package(ContentFile(out.getvalue(), name="p.zip"), prefix="p", storage=storage)
    assert result.files == ("p/教案.txt",)


@pytest.mark.parametrize("member", ["../evil.txt", "a/../../evil.txt", "/etc/cron.d/evil", "C:/evil.txt",
                                    "a\\..\\evil.txt"])
def test_paths_leaving_the_package_are_refused_and_nothing_is_written(storage, tmp_path, member):
    with pytest.raises(api.UploadRejected) as error:
        api.unpack_package(package({"ok.txt": b"fine", member: b"evil"}), prefix="p", storage=storage)
    assert error.value.code == "path"
    assert stored_files(tmp_path) == []


def test_symlinks_are_refused(storage):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(api.UploadRejected) as error:
        api.unpack_package(ContentFile(out.getvalue(), name="p.zip"), prefix="p", storage=storage)
    assert error.value.code == "symlink"


def test_too_many_files(settings, storage):
    settings.SKILLS_GANSU_PACKAGE_LIMITS = {"max_files": 3}
    with translation.override("en"), pytest.raises(api.UploadRejected, match="at most 3") as error:
        api.unpack_package(package({f"{i}.txt": b"x" for i in range(4)}), prefix="p", storage=storage)
    assert error.value.code == "too_many_files"


def test_zip_bomb_ratio_is_refused(storage, tmp_path):
    with pytest.raises(api.UploadRejected) as error:
        api.unpack_package(package({"zeros.bin": bytes(20 * 1024 * 1024)}), prefix="p", storage=storage)
    assert error.value.code == "zip_bomb"
    assert stored_files(tmp_path) == []


def test_total_size_limit(settings, storage, tmp_path):
    settings.SKILLS_GANSU_PACKAGE_LIMITS = {"max_total": 1000}
    members = {"a.txt": b"a" * 600, "b.txt": b"b" * 600}
    with pytest.raises(api.UploadRejected) as error:
        api.unpack_package(package(members, compression=zipfile.ZIP_STORED), prefix="p", storage=storage)
    assert error.value.code == "too_large"
    assert stored_files(tmp_path) == []


def test_not_a_zip(storage):
    with pytest.raises(api.UploadRejected) as error:
        api.unpack_package(ContentFile(samples.PDF, name="p.zip"), prefix="p", storage=storage)
    assert error.value.code == "kind"  # its content is a PDF, not a package

"""Unpacking zip packages (SCORM, H5P, cmi5, offline bundles) into storage, safely.

Invariants, all checked *before* anything is written:
- every member path is relative, uses forward slashes, has no ``..`` part, no drive letter, no NUL,
  and is not a symlink; names are decoded (UTF-8 flag or the GBK names Chinese Windows tools write);
- at most ``max_files`` members and ``max_total`` declared uncompressed bytes, and no member
  compresses better than ``max_ratio`` (a zip bomb's tell); encrypted members are refused;
- while writing, the bytes actually read are counted too, so a lying header cannot exceed the limits.
Nothing is left behind when a package is refused half-way: written files are deleted again.
"""
from __future__ import annotations

import posixpath
import stat
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .safety import UploadRejected

MB = 1024 * 1024
DEFAULTS = {"max_files": 5000, "max_total": 1024 * MB, "max_member": 512 * MB, "max_ratio": 200}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class UnpackedPackage:
    prefix: str
    files: tuple[str, ...]  # storage names, in archive order
    total_size: int


def package_limits() -> dict[str, int]:
    return {**DEFAULTS, **getattr(settings, "SKILLS_GANSU_PACKAGE_LIMITS", {})}


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: zipfile decoded it as cp437
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def _safe_path(name: str) -> str:
    if "\x00" in name or "\\" in name:
        raise UploadRejected(_("The package contains a file name with a backslash or NUL: %(name)s") % {
            "name": name[:200]}, code="path")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UploadRejected(_("The package contains an absolute path: %(name)s") % {"name": name[:200]},
                             code="path")
    parts = name.split("/")
    if any(part == ".." for part in parts):
        raise UploadRejected(_("The package contains a path that leaves the package: %(name)s") % {
            "name": name[:200]}, code="path")
    return posixpath.normpath(name)


def inspect_package(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, str]]:
    """The members to extract as (info, safe relative path); raises UploadRejected on any violation."""
    limits = package_limits()
    members = archive.infolist()
    if len(members) > limits["max_files"]:
        raise UploadRejected(_("The package holds %(count)d files; at most %(limit)d are allowed.") % {
            "count": len(members), "limit": limits["max_files"]}, code="too_many_files")
    total, chosen = 0, []
    for info in members:
        name = _member_name(info)
        path = _safe_path(name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadRejected(_("The package contains a symbolic link: %(name)s") % {"name": name[:200]},
                                 code="symlink")
        if info.flag_bits & 0x1:
            raise UploadRejected(_("The package is encrypted; upload it without a password."), code="encrypted")
        if info.is_dir():
            continue
        if info.file_size > limits["max_member"]:
            raise UploadRejected(_("%(name)s unpacks to %(size)s; one file may be at most %(limit)s.") % {
                "name": name[:200], "size": filesizeformat(info.file_size),
                "limit": filesizeformat(limits["max_member"])}, code="too_large")
        if info.file_size > CHUNK and info.file_size > limits["max_ratio"] * max(info.compress_size, 1):
            raise UploadRejected(_("%(name)s is compressed suspiciously well (a zip bomb?); the package is refused.")
                                 % {"name": name[:200]}, code="zip_bomb")
        total += info.file_size
        if total > limits["max_total"]:
            raise UploadRejected(_("The package unpacks to more than %(limit)s.") % {
                "limit": filesizeformat(limits["max_total"])}, code="too_large")
        chosen.append((info, path))
    return chosen


def unpack(file, *, prefix: str, storage: Storage | None = None) -> UnpackedPackage:
    """Check and extract the zip ``file`` under ``prefix`` in ``storage`` (default storage)."""
    storage = storage or default_storage
    prefix = _safe_path(prefix.strip("/"))
    limits = package_limits()
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError):
        raise UploadRejected(_("This is not a readable zip package."), code="not_zip")
    written: list[str] = []
    total = 0
    try:
        with archive:
            for info, path in inspect_package(archive):
                data = bytearray()
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        data += chunk
                        total += len(chunk)
                        if len(data) > info.file_size or total > limits["max_total"]:
                            raise UploadRejected(_("The package's contents are larger than it declares."),
                                                 code="zip_bomb")
                written.append(storage.save(f"{prefix}/{path}", ContentFile(bytes(data))))
    except zipfile.BadZipFile:
        _delete(storage, written)
        raise UploadRejected(_("The zip package is damaged."), code="not_zip")
    except BaseException:
        _delete(storage, written)
        raise
    return UnpackedPackage(prefix=prefix, files=tuple(written), total_size=total)


def _delete(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)

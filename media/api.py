"""Public interface of ``media``: check uploads, unpack packages, decide and hand out downloads.

Other apps call these, never the models or the helper modules directly.
"""
from __future__ import annotations

from django.core.files.storage import Storage

from . import access, packages, safety, serving
from .packages import UnpackedPackage
from .safety import CheckedUpload, UploadRejected

__all__ = [
    "CheckedUpload", "UnpackedPackage", "UploadRejected", "check_upload", "may_download", "signed_url",
    "unpack_package",
]


def check_upload(file, *, kinds: set[str] | None = None, name: str | None = None) -> CheckedUpload:
    """Accept ``file`` or raise :class:`UploadRejected` (a ``ValidationError``) saying why.

    The type is sniffed from the content; the name's extension must agree; HTML and scripted SVG are
    refused; each kind (image, document, audio, video, package, captions) has its own size limit.
    """
    return safety.check_upload(file, kinds=kinds, name=name)


def unpack_package(file, *, prefix: str, storage: Storage | None = None) -> UnpackedPackage:
    """Check the zip ``file`` and extract it under ``prefix`` in ``storage`` (default storage).

    Refuses path traversal, absolute paths, symlinks, encrypted members, too many files, too many bytes
    and suspicious compression ratios before writing anything; cleans up if refused mid-way.
    """
    safety.check_upload(file, kinds={"package"}, name=getattr(file, "name", None) or "package.zip")
    return packages.unpack(file, prefix=prefix, storage=storage)


def may_download(user, document) -> bool:
    """Whether ``user`` may download ``document`` (private documents need an enrolment)."""
    return access.may_download(user, document)


def signed_url(document, *, expires: int | None = None, download: bool = False) -> str:
    """A URL for ``document``'s bytes: presigned and short-lived on S3-compatible storage; on local
    storage, the document's own serving URL (which checks access on every request)."""
    storage, name = document.file.storage, document.file.name
    try:
        storage.path(name)
    except NotImplementedError:
        content_type = serving.content_type_of(document.filename, document.content_type)
        return serving.signed_url(
            storage, name, content_type=content_type, expires=expires,
            content_disposition=serving.disposition(document.filename, content_type, download=download),
        )
    return document.url

"""What an upload really is, decided from its bytes, and whether the platform accepts it.

Invariants:
- the type comes from the content (``filetype`` magic numbers, plus our own checks for the text
  formats it cannot see: WebVTT, plain text, SVG, HTML), never from the file name or the browser;
- the file name's extension must agree with that type, so nothing is later served under a misleading
  name;
- active content is refused: HTML, XHTML, and SVG carrying script, event handlers, ``javascript:``
  URLs or foreign objects. (Files that slip through some other way are still served as attachments
  by ``media.serving``, with ``nosniff``.)
- every kind has its own size limit (``settings.SKILLS_GANSU_UPLOAD_LIMITS`` overrides the defaults).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024
DEFAULT_LIMITS = {
    "image": 20 * MB,
    "document": 100 * MB,
    "audio": 300 * MB,
    "video": 2048 * MB,
    "package": 500 * MB,
    "captions": 2 * MB,
}
SNIFF_BYTES = 8192

# sniffed MIME type -> (kind, extensions accepted for it)
ACCEPTED = {
    "image/jpeg": ("image", {"jpg", "jpeg"}),
    "image/png": ("image", {"png"}),
    "image/gif": ("image", {"gif"}),
    "image/webp": ("image", {"webp"}),
    "image/avif": ("image", {"avif"}),
    "image/svg+xml": ("image", {"svg"}),
    "application/pdf": ("document", {"pdf"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("document", {"docx"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("document", {"xlsx"}),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("document", {"pptx"}),
    "application/vnd.oasis.opendocument.text": ("document", {"odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": ("document", {"ods"}),
    "application/vnd.oasis.opendocument.presentation": ("document", {"odp"}),
    "application/msword": ("document", {"doc", "xls", "ppt"}),  # OLE2 compound files
    "application/x-ole-storage": ("document", {"doc", "xls", "ppt"}),
    "text/plain": ("document", {"txt", "csv", "md"}),
    "text/vtt": ("captions", {"vtt"}),
    "video/mp4": ("video", {"mp4", "m4v"}),
    "video/webm": ("video", {"webm"}),
    "video/quicktime": ("video", {"mov"}),
    "audio/mpeg": ("audio", {"mp3"}),
    "audio/ogg": ("audio", {"ogg", "oga"}),
    "audio/x-m4a": ("audio", {"m4a"}),
    "audio/m4a": ("audio", {"m4a"}),
    "audio/x-wav": ("audio", {"wav"}),
    "audio/aac": ("audio", {"aac"}),
    "application/zip": ("package", {"zip", "scorm", "h5p", "elpz"}),
}
# Inline in the browser is safe for these; everything else is served as an attachment.
INLINE_TYPES = {t for t, (kind, _ext) in ACCEPTED.items() if kind in {"image", "video", "audio", "captions"}
                and t != "image/svg+xml"} | {"application/pdf", "text/plain"}

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe|frame|object|embed|meta|link|base|form)\b",
                   re.IGNORECASE)
_SVG = re.compile(rb"<\s*svg\b", re.IGNORECASE)
_SVG_ACTIVE = re.compile(
    rb"<\s*(script|foreignObject|iframe|embed|object|handler|use\b[^>]*href\s*=\s*[\"']?\s*(?!#))"
    rb"|\bon[a-z]+\s*=|javascript\s*:|data\s*:\s*text/html|<!ENTITY",
    re.IGNORECASE,
)


class UploadRejected(ValidationError):
    """An upload the platform refuses; the message says why and what to do instead."""


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    kind: str  # image, document, audio, video, package, captions
    size: int

    @property
    def inline(self) -> bool:
        return self.content_type in INLINE_TYPES


def upload_limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "SKILLS_GANSU_UPLOAD_LIMITS", {})}


def _read_head(file) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(position)
    return head


def _read_all(file, limit: int) -> bytes:
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    return data


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # a multi-byte character cut at the end of the sniffed window is still text
        return error.start >= len(head) - 3
    return True


def sniff(file) -> str:
    """The MIME type of ``file`` from its content ("application/octet-stream" if unrecognised)."""
    head = _read_head(file)
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        if mime == "application/zip":  # an OOXML/ODF file is a zip: look at the whole file
            kind = filetype.guess(_read_all(file, 64 * MB))
            mime = kind.mime if kind else mime
        return mime
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"
    if head[:3] in {b"ID3"} or head[:2] in {b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"}:
        return "audio/mpeg"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if _is_text(head):
        if text.startswith(b"WEBVTT"):
            return "text/vtt"
        if _SVG.search(text[:1024]) and (text.startswith(b"<?xml") or text.startswith(b"<svg")
                                         or text.startswith(b"<!--") or text.startswith(b"<!DOCTYPE svg")):
            return "image/svg+xml"
        if _HTML.search(text):
            return "text/html"
        return "text/plain"
    return "application/octet-stream"


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def check_upload(file, *, kinds: set[str] | None = None, name: str | None = None) -> CheckedUpload:
    """Accept ``file`` (an open Django ``File``) or raise :class:`UploadRejected`.

    ``kinds`` limits what this form field takes (images only for the image library, say).
    """
    name = name or getattr(file, "name", "") or ""
    size = file.size if getattr(file, "size", None) is not None else len(_read_all(file, 10**10))
    if size == 0:
        raise UploadRejected(_("The file is empty."), code="empty")
    mime = sniff(file)
    if mime in {"text/html", "application/xhtml+xml"}:
        raise UploadRejected(
            _("Web pages (HTML) cannot be uploaded as files: they could run scripts on this site. "
              "Upload a PDF, or put web content in a zip package."), code="active_content")
    if mime == "image/svg+xml":
        content = _read_all(file, upload_limits()["image"])
        if _SVG_ACTIVE.search(content):
            raise UploadRejected(
                _("This SVG image contains scripts, event handlers or embedded content, which are not allowed. "
                  "Export it as PNG, or remove the scripts."), code="active_content")
    if mime not in ACCEPTED:
        raise UploadRejected(
            _("This type of file is not accepted (its content looks like %(type)s). Accepted: images, PDF and "
              "office documents, MP4/WebM video, MP3/OGG/M4A audio, WebVTT captions, zip packages.")
            % {"type": mime}, code="type")
    kind, extensions = ACCEPTED[mime]
    if kinds is not None and kind not in kinds:
        raise UploadRejected(
            _("A %(kind)s file cannot be uploaded here.") % {"kind": kind}, code="kind")
    extension = _extension(name)
    if extension not in extensions:
        raise UploadRejected(
            _("The file name ends in “.%(ext)s” but its content is %(type)s; rename it to end in .%(expected)s.")
            % {"ext": extension, "type": mime, "expected": sorted(extensions)[0]}, code="extension")
    limit = upload_limits()[kind]
    if size > limit:
        raise UploadRejected(
            _("The file is %(size)s; %(kind)s files may be at most %(limit)s.")
            % {"size": filesizeformat(size), "kind": kind, "limit": filesizeformat(limit)}, code="size")
    return CheckedUpload(content_type=mime, kind=kind, size=size)

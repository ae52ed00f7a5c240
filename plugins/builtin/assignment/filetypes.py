"""Recognise an uploaded file by its content, not its name: a renamed executable is not a PDF."""
from __future__ import annotations

import zipfile

OFFICE = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
KNOWN = ("pdf", "jpg", "png", "docx", "xlsx", "pptx", "mp4")
EXTENSIONS = {"jpeg": "jpg"}


def sniff(upload) -> str | None:
    """The type the file's bytes say it is, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(upload).namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        for kind, prefix in OFFICE.items():
            if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
                return kind
    return None


def extension(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EXTENSIONS.get(ext, ext)

"""Resource rows: one ResourcePage per code, in the library named by its slug (or exact title).

Columns: code, title, library, resource_type (document/video/courseware/simulation/image/audio/link or
文档/视频/课件/仿真/图片/音频/链接), link, file (a path relative to the spreadsheet's folder; files
outside that folder are refused), licence, author, level, industry, keywords, description.
Files are stored through ``default_storage`` as documents; a file whose content is unchanged (same
SHA-1) is not uploaded again.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.files import File
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from media.models import Licence

from ..models import Industry, Level, ResourceLibraryPage, ResourcePage
from . import pages, values
from .base import Column, Parsed, RowKind, RowReader
from .values import BadValue, Lookup

SCALARS = ("title", "resource_type", "link_url", "licence", "author", "level", "industry", "description")
FILE_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".xlsx", ".txt", ".mp4", ".webm", ".mp3", ".ogg",
    ".m4a", ".zip", ".jpg", ".jpeg", ".png", ".webp", ".html",
}
MAX_FILE_BYTES = 500 * 1024 * 1024


class ResourceRows(RowKind):
    kind = "resources"
    columns = [
        Column("code", "code", ("资源代码", "资源编号", "resource_code"), required=True),
        Column("title", "title", ("资源名称", "名称"), required=True),
        Column("library", "library", ("资源库", "所属资源库", "library_slug", "library_code"), required=True),
        Column("resource_type", "resource_type", ("类型", "资源类型", "type"), required=True),
        Column("link", "link", ("链接", "网址", "link_url", "url")),
        Column("file", "file", ("文件", "文件路径", "file_path", "path")),
        Column("licence", "licence", ("许可", "许可协议", "license")),
        Column("author", "author", ("作者",), required=True),
        Column("level", "level", ("层次",)),
        Column("industry", "industry", ("产业",)),
        Column("keywords", "keywords", ("关键词", "关键字", "tags")),
        Column("description", "description", ("描述", "简介", "说明")),
    ]

    def __init__(self, *, base_dir: Path):
        self.base_dir = base_dir.resolve()

    def load(self, rows):
        codes = [str(r.values.get("code", "")).strip() for r in rows]
        self.libraries = Lookup(ResourceLibraryPage.objects.all(), keys=("slug", "title"), what=_("resource library"))
        self.industries = Lookup(Industry.objects.all(), what=_("industry"))
        self.existing = {
            page.code.casefold(): page
            for page in ResourcePage.objects.filter(code__in=[c for c in codes if c]).select_related("file")
        }

    def parse(self, reader: RowReader) -> Parsed | None:
        v: dict = {}
        code = reader.get("code", values.text, max_length=48, required=True)
        v["title"] = reader.get("title", values.text, max_length=255, required=True)
        library = reader.get("library", self.libraries.one, required=True)
        v["resource_type"] = reader.get("resource_type", values.choice, choices=ResourcePage.ResourceType,
                                        required=True)
        v["author"] = reader.get("author", values.text, max_length=128, required=True)
        if reader.has("link"):
            v["link_url"] = reader.get("link", _url)
        if reader.has("licence"):
            v["licence"] = reader.get("licence", values.choice, choices=Licence) or Licence.CC_BY_NC_SA
        if reader.has("level"):
            v["level"] = reader.get("level", values.choice, choices=Level)
        if reader.has("industry"):
            v["industry"] = reader.get("industry", self.industries.one)
        if reader.has("description"):
            v["description"] = reader.get("description", values.text, max_length=2000)
        extra = {"library": library}
        if reader.has("keywords"):
            keywords = values.split_list(reader.raw("keywords"))
            if any(len(k) > 100 for k in keywords):
                reader.fail(_("keywords must each be at most 100 characters"))
            extra["keywords"] = keywords
        if reader.has("file") and reader.raw("file"):
            extra["file"] = reader.get("file", self._file)
        if reader.errors:
            return None
        return Parsed(line=reader.row.line, code=code, values=v, extra=extra)

    def _file(self, value, *, label):
        relative = Path(str(value).strip())
        path = (self.base_dir / relative).resolve()
        if relative.is_absolute() or not path.is_relative_to(self.base_dir):
            raise BadValue(_("%(column)s must be a path inside the spreadsheet's folder, not “%(value)s”") % {
                "column": label, "value": value})
        if not path.is_file():
            raise BadValue(_("%(column)s: no such file “%(value)s”") % {"column": label, "value": value})
        if path.suffix.lower() not in FILE_EXTENSIONS:
            raise BadValue(_("%(column)s: files of type %(suffix)s are not accepted") % {
                "column": label, "suffix": path.suffix or "?"})
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BadValue(_("%(column)s: “%(value)s” is larger than 500 MB") % {"column": label, "value": value})
        with path.open("rb") as stream:
            digest = hashlib.file_digest(stream, "sha1").hexdigest()
        return {"path": path, "sha1": digest}

    def plan(self, parsed: Parsed) -> None:
        library = parsed.extra["library"]
        existing = self.existing.get(parsed.code.casefold())
        base = None
        if existing is not None:
            if not existing.path.startswith(library.path) or existing.depth != library.depth + 1:
                raise BadValue(_("resource %(code)s is in another library; the import does not move resources") % {
                    "code": existing.code})
            base = pages.editable(existing)
        kind = parsed.values["resource_type"]
        link = parsed.values.get("link_url", base.link_url if base else "")
        has_file = "file" in parsed.extra or bool(base and base.file_id)
        if kind == ResourcePage.ResourceType.LINK and not link:
            raise BadValue(_("a link resource needs its link"))
        if kind in ResourcePage.FILE_TYPES and not has_file:
            raise BadValue(_("a %(type)s resource needs its file") % {"type": kind})
        if kind in ("image", "simulation") and not (has_file or link):
            raise BadValue(_("a %(type)s resource needs a file or a link") % {"type": kind})
        if base is None:
            parsed.action = "create"
            return
        parsed.existing, parsed.extra["base"] = existing, base
        changed = any(getattr(base, k) != val for k, val in parsed.values.items())
        if "keywords" in parsed.extra:
            changed = changed or {t.name for t in base.keywords.all()} != set(parsed.extra["keywords"])
        if "file" in parsed.extra:
            current = get_document_model().objects.filter(pk=base.file_id).values_list("file_hash", flat=True).first()
            changed = changed or current != parsed.extra["file"]["sha1"]
        parsed.action = "update" if changed else "unchanged"

    def apply(self, parsed: Parsed) -> None:
        fields = dict(parsed.values)
        if "file" in parsed.extra:
            fields["file"] = self._store(parsed)
        if parsed.action == "create":
            library = parsed.extra["library"]
            slug = pages.free_slug(library, parsed.code, parsed.values["title"])
            page = ResourcePage(code=parsed.code, slug=slug, **fields)
        else:
            page = parsed.extra["base"]
            for name, val in fields.items():
                setattr(page, name, val)
        if "keywords" in parsed.extra:
            page.keywords.set(parsed.extra["keywords"])
        if parsed.action == "create":
            pages.create_published(parsed.extra["library"], page)
        else:
            pages.save_update(page, publish=pages.publishes_updates(parsed.existing))

    def _store(self, parsed: Parsed):
        source = parsed.extra["file"]
        Document = get_document_model()
        document = Document.objects.filter(file_hash=source["sha1"]).first()
        if document is not None:
            return document
        document = Document(title=parsed.values["title"], author=parsed.values["author"],
                            licence=parsed.values.get("licence", ""))
        with source["path"].open("rb") as stream:
            document.file.save(source["path"].name, File(stream), save=False)
            document._set_document_file_metadata()
        document.save()
        return document


def _url(value, *, label):
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    raw = values.text(value, label=label, max_length=200)
    if raw:
        try:
            URLValidator(schemes=["http", "https"])(raw)
        except ValidationError:
            raise BadValue(_("%(column)s must be a web address starting with http:// or https://, not “%(value)s”") % {
                "column": label, "value": raw})
    return raw

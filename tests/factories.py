"""Small builders for a content tree, shared by the tests. Each returns saved objects.

    site_root() -> HomePage serving the default Site, with a CatalogueIndexPage beneath it
    region(), institution(), section(institution), course(section), unit(course), lesson(unit), ...
"""
from __future__ import annotations

import itertools
from datetime import date

from wagtail.models import Page, Site

from courses.models import (
    CatalogueIndexPage,
    CoursePage,
    HomePage,
    Industry,
    InstitutionSectionPage,
    LessonPage,
    PackageItem,
    ResourceLibraryPage,
    ResourcePage,
    TrainingPackagePage,
    TrainingProgram,
    UnitPage,
)
from lms.institutions.models import Cluster, Institution, Region

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def site_root() -> tuple[HomePage, CatalogueIndexPage]:
    """The HomePage serving the default Site and the catalogue beneath it (created once)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="技能甘肃", slug=f"home-{_n()}"))
        site = Site.objects.filter(is_default_site=True).first()
        if site:
            site.root_page = home
            site.save()
        else:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    catalogue = CatalogueIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(instance=CatalogueIndexPage(title="课程目录", slug="courses"))
    return home, catalogue


def region(*, code=None, name=None, level="city", parent=None, cluster=Cluster.LONGZHONG) -> Region:
    province, _ = Region.objects.get_or_create(code="620000", defaults={"name": "甘肃省", "level": "province"})
    code = code or f"62{_n():04d}"
    return Region.objects.create(
        code=code, name=name or f"地区{code}", level=level,
        parent=parent or (province if level == "city" else None), cluster=cluster if level == "city" else "",
    )


def institution(*, name=None, code=None, reg=None, kind="higher") -> Institution:
    n = _n()
    return Institution.objects.create(
        code=code or f"INST{n}", name=name or f"甘肃职业技术学院{n}", slug=f"inst-{n}",
        kind=kind, region=reg or region(),
    )


def section(inst: Institution | None = None) -> InstitutionSectionPage:
    inst = inst or institution()
    existing = InstitutionSectionPage.objects.filter(institution=inst).first()
    if existing:
        return existing
    _home, catalogue = site_root()
    return catalogue.add_child(instance=InstitutionSectionPage(title=inst.name, slug=inst.slug, institution=inst))


def industry(code="cattle", name="牛", kind=Industry.Kind.FEATURED) -> Industry:
    return Industry.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]


def program(code="longyuan-qiaoshou", name="陇原巧手") -> TrainingProgram:
    return TrainingProgram.objects.get_or_create(code=code, defaults={"name": name})[0]


def course(parent: InstitutionSectionPage | None = None, *, live=True, **fields) -> CoursePage:
    n = _n()
    parent = parent or section()
    defaults = dict(
        title=f"肉牛养殖技术{n}", slug=f"course-{n}", code=f"C{n:05d}", level="higher", credits=2,
        class_hours=32, summary="肉牛饲养管理与疫病防治。", last_major_revision=date(2024, 9, 1),
        last_minor_revision=date(2025, 9, 1), live=live,
    )
    defaults.update(fields)
    page = parent.add_child(instance=CoursePage(**defaults))
    if live:
        page.save_revision().publish()
    return page


def unit(parent: CoursePage, *, live=True, **fields) -> UnitPage:
    n = _n()
    page = parent.add_child(instance=UnitPage(**{"title": f"第{n}单元", "slug": f"unit-{n}", "live": live, **fields}))
    if live:
        page.save_revision().publish()
    return page


def lesson(parent: UnitPage, *, live=True, body=None, **fields) -> LessonPage:
    n = _n()
    page = parent.add_child(instance=LessonPage(**{
        "title": f"第{n}课", "slug": f"lesson-{n}", "live": live, "duration_minutes": 20,
        "body": body or [("text", "<p>课程内容</p>")], **fields,
    }))
    if live:
        page.save_revision().publish()
    return page


def library(parent: InstitutionSectionPage | None = None, *, live=True, **fields) -> ResourceLibraryPage:
    n = _n()
    parent = parent or section()
    page = parent.add_child(instance=ResourceLibraryPage(**{
        "title": f"畜牧兽医专业教学资源库{n}", "slug": f"library-{n}", "summary": "资源库简介", "live": live, **fields,
    }))
    if live:
        page.save_revision().publish()
    return page


def resource(parent: ResourceLibraryPage, *, live=True, **fields) -> ResourcePage:
    n = _n()
    defaults = dict(
        title=f"牛舍设计{n}", slug=f"resource-{n}", code=f"R{n:06d}", resource_type="link",
        link_url="https://example.org/resource", author="张老师", live=live,
    )
    defaults.update(fields)
    page = parent.add_child(instance=ResourcePage(**defaults))
    if live:
        page.save_revision().publish()
    return page


def package(parent: InstitutionSectionPage | None = None, *, items=(), live=True, **fields) -> TrainingPackagePage:
    n = _n()
    parent = parent or section()
    defaults = dict(
        title=f"陇原巧手刺绣培训包{n}", slug=f"package-{n}", code=f"P{n:04d}", program=program(),
        target_group="农村妇女", summary="刺绣技能培训", skill_standard="<p>标准</p>", hours=40,
        assessment="<p>考核</p>", certificate_name="陇原巧手结业证书", live=live,
    )
    defaults.update(fields)
    page = TrainingPackagePage(**defaults)
    page.items = [PackageItem(item=item, sort_order=i) for i, item in enumerate(items)]
    page = parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


def image(*, title=None, width=64, height=48):
    """A real PNG in the configured image model, so renditions can be generated."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PILImage.new("RGB", (width, height), (180, 40, 30)).save(buffer, format="PNG")
    n = _n()
    return get_image_model().objects.create(
        title=title or f"图片{n}", file=ImageFile(buffer, name=f"image-{n}.png")
    )


def document(*, title=None, name=None, content=b"%PDF-1.4\n% test document\n"):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    n = _n()
    return get_document_model().objects.create(
        title=title or f"文档{n}", file=ContentFile(content, name=name or f"document-{n}.pdf")
    )

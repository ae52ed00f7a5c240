"""Builds the demo province: site and catalogue, regions, institutions with their authoring set-up,
taxonomy, libraries and resources, courses with units and lessons, training packages, and people.

Idempotent by codes, slugs and usernames: anything already there is left as it is, so running it
twice creates nothing new. Every page is published through Wagtail (a revision each), so the
publish hooks (search, outlines, offerings) see it exactly as if an editor had published it. Files
are written through ``default_storage`` so the same code fills local disk or S3.
"""
from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents import get_document_model
from wagtail.models import GroupCollectionPermission, Locale, Page, Site

from courses import authoring
from courses.models import (
    CatalogueIndexPage,
    CoursePage,
    CourseTeacher,
    HomePage,
    Industry,
    LessonPage,
    PackageItem,
    ResourceLibraryPage,
    ResourcePage,
    SkillCertificate,
    Specialty,
    TrainingPackagePage,
    TrainingProgram,
    UnitPage,
)
from lms.accounts import api as accounts
from lms.institutions.api import Institution, Region
from lms.reports import api as reports
from plugins.core import api as plugins
from plugins.core import registry

from . import catalogue as data
from . import places

DEFAULT_PASSWORD = "gansu-demo-2026"


@dataclass
class DemoSummary:
    home: HomePage
    catalogue: CatalogueIndexPage
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, who)
    created_pages: int = 0


def password() -> str:
    return os.environ.get("SEED_DEMO_PASSWORD") or DEFAULT_PASSWORD


@transaction.atomic
def build() -> DemoSummary:
    pages_before = Page.objects.count()
    home, catalogue = ensure_site()
    enable_activity_plugins()
    regions = ensure_regions()
    institutions = ensure_institutions(regions)
    sections = {code: authoring.provision_institution(inst) for code, inst in institutions.items()}
    authoring.ensure_review_workflow()
    taxonomy = ensure_taxonomy()
    summary = DemoSummary(home=home, catalogue=catalogue)
    users = ensure_people(institutions, regions, summary)
    resources = ensure_libraries(sections, institutions, taxonomy)
    courses = ensure_courses(sections, taxonomy, resources, users)
    ensure_packages(sections, taxonomy, regions, {**courses, **resources})
    summary.created_pages = Page.objects.count() - pages_before
    return summary


ACTIVITY_PLUGINS = ("video", "document", "quiz", "assignment", "attendance")


def enable_activity_plugins() -> None:
    """Installed is not enabled: switch the built-in activity plugins on for the demo's default Site."""
    site = Site.objects.get(is_default_site=True)
    for plugin_id in ACTIVITY_PLUGINS:
        if plugin_id in registry.installed_plugins() and not registry.is_enabled(plugin_id, site):
            plugins.configure_plugin(site=site, plugin_id=plugin_id, enabled=True)


def _publish_child(parent: Page, page: Page) -> Page:
    page.live = False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_site() -> tuple[HomePage, CatalogueIndexPage]:
    """A HomePage as the default Site's root, replacing Wagtail's welcome page, and the catalogue."""
    root = Page.get_first_root_node()
    if root is None:  # an emptied database: Wagtail's migration normally creates the root and a locale
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    home = HomePage.objects.order_by("path").first()
    if home is None:
        home = _publish_child(root, HomePage(title="技能甘肃", slug="skills-gansu",
                                             intro="<p>甘肃职业教育与技能培训公共服务平台</p>"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="技能甘肃")
    elif site.root_page_id != home.pk:
        site.root_page, site.site_name = home, "技能甘肃"
        site.save()
    plain_page = ContentType.objects.get_for_model(Page)
    for welcome in root.get_children().filter(content_type=plain_page, numchild=0):
        if not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()
    catalogue = CatalogueIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = _publish_child(home, CatalogueIndexPage(
            title="课程目录", slug="courses", intro="<p>全省精品在线课程、专业教学资源库与培训包。</p>"))
    return home, catalogue


def ensure_regions() -> dict[str, Region]:
    province, _ = Region.objects.get_or_create(code=places.PROVINCE[0], defaults={
        "name": places.PROVINCE[1], "level": Region.Level.PROVINCE})
    regions = {province.code: province}
    for code, name, cluster in places.CITIES:
        regions[code], _ = Region.objects.get_or_create(code=code, defaults={
            "name": name, "level": Region.Level.CITY, "parent": province, "cluster": cluster})
    for code, name, city in places.COUNTIES:
        regions[code], _ = Region.objects.get_or_create(code=code, defaults={
            "name": name, "level": Region.Level.COUNTY, "parent": regions[city]})
    return regions


def ensure_institutions(regions) -> dict[str, Institution]:
    found = {}
    for code, name, short, slug, kind, region in places.INSTITUTIONS:
        found[code], _ = Institution.objects.get_or_create(code=code, defaults={
            "name": name, "short_name": short, "slug": slug, "kind": kind, "region": regions[region]})
    return found


def ensure_taxonomy() -> dict[str, dict]:
    industries = {code: Industry.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
                  for code, name, kind in data.INDUSTRIES}
    programs = {code: TrainingProgram.objects.get_or_create(code=code, defaults={
        "name": name, "description": text})[0] for code, name, text in data.PROGRAMS}
    certificates = {code: SkillCertificate.objects.get_or_create(code=code, defaults={
        "field_name": name, "level": level, "issuer": issuer})[0] for code, name, level, issuer in data.CERTIFICATES}
    specialties = {code: Specialty.objects.get_or_create(code=code, defaults={"name": name})[0]
                   for code, name in data.SPECIALTIES}
    return {"industries": industries, "programs": programs, "certificates": certificates,
            "specialties": specialties}


def ensure_people(institutions, regions, summary: DemoSummary) -> dict:
    users = {}
    for username, real_name, role, institution, region, learner_type in places.PEOPLE:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = accounts.create_person(
                username=username, password=password(), real_name=real_name, role=role,
                institution=institutions.get(institution), region=regions[region], learner_type=learner_type,
                email=f"{username}@demo.skills.gansu.edu.cn",
            )
        if username == "admin" and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        if role == "teacher":
            authoring.add_teacher(user, institutions[institution])
        if role == "reviewer":
            authoring.add_reviewer(user)
        if role in ("province_official", "city_official", "institution_admin"):
            reports.grant_dashboard_access(user)
        users[username] = user
        summary.accounts.append((username, password(), f"{real_name}（{_role_label(role, username)}）"))
    return users


def _role_label(role: str, username: str) -> str:
    if username == "admin":
        return "超级管理员"
    return {"reviewer": "省级审核员", "teacher": "教师", "learner": "学员", "province_official": "省教育厅",
            "city_official": "市州教育局", "institution_admin": "院校管理员"}.get(role, role)


def ensure_libraries(sections, institutions, taxonomy) -> dict[str, ResourcePage]:
    resources = {}
    for spec in data.LIBRARIES:
        section = sections[spec["institution"]]
        library = ResourceLibraryPage.objects.child_of(section).filter(slug=spec["slug"]).first()
        if library is None:
            library = ResourceLibraryPage(title=spec["title"], slug=spec["slug"], summary=spec["summary"],
                                          specialty=taxonomy["specialties"][spec["specialty"]])
            library.partner_institutions = [institutions[code] for code in spec["partners"]]
            _publish_child(section, library)
        existing = {r.code: r for r in ResourcePage.objects.child_of(library)}
        for code, title, kind, industry, author, source in spec["resources"]:
            if code in existing:
                resources[code] = existing[code]
                continue
            page = ResourcePage(code=code, title=title, slug=code.lower(), resource_type=kind, author=author,
                                industry=taxonomy["industries"][industry], licence="cc-by-nc-sa-4.0",
                                level="higher", description=f"{spec['title']}资源：{title}。")
            if isinstance(source, tuple):
                page.file = _pdf_document(title, source[1], author=author,
                                          institution=institutions[spec["institution"]])
            else:
                page.link_url = source
            page.keywords.set([title[:4], taxonomy["industries"][industry].name])
            resources[code] = _publish_child(library, page)
    return resources


def _pdf_document(title: str, lines: list[str], *, author: str, institution: Institution):
    """A small real PDF (reportlab's built-in CJK font), saved through default_storage."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(title)
    pdf.setFont("STSong-Light", 18)
    pdf.drawString(72, 770, title)
    pdf.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        pdf.drawString(72, 730 - 22 * i, line)
    pdf.drawString(72, 80, f"{institution.name} · {author}")
    pdf.save()
    Document = get_document_model()
    document = Document(title=title, author=author, licence="cc-by-nc-sa-4.0")
    group = authoring.teacher_group(institution)
    permission = GroupCollectionPermission.objects.filter(group=group).select_related("collection").first()
    if permission is not None:
        document.collection = permission.collection
    document.file.save(f"{title}.pdf", ContentFile(buffer.getvalue()), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def _lesson_body(course: dict, lesson_title: str, resource: ResourcePage | None) -> str:
    blocks = [
        {"type": "text", "value": (
            f"<h2>{lesson_title}</h2><p>本课是《{course['title']}》的一部分。{course['summary']}</p>"
            "<h3>学习要点</h3><ul><li>理解本课的基本概念与操作规范</li><li>结合本地生产实际完成课后练习</li></ul>")},
        {"type": "callout", "value": {"kind": "tip", "text": "<p>建议先看图文讲解，再到实训场地动手练习。</p>"}},
    ]
    if resource is not None:
        blocks.append({"type": "resource", "value": {"resource": resource.pk, "note": "课前请先浏览这份资源。"}})
    blocks.append({"type": "callout", "value": {"kind": "safety", "text": "<p>实操时注意人身与生物安全。</p>"}})
    return json.dumps(blocks, ensure_ascii=False)


def ensure_courses(sections, taxonomy, resources, users) -> dict[str, CoursePage]:
    by_industry: dict[str, list[ResourcePage]] = {}
    for resource in resources.values():
        by_industry.setdefault(resource.industry.code if resource.industry else "", []).append(resource)
    courses = {}
    for spec in data.COURSES:
        existing = CoursePage.objects.filter(code=spec["code"]).first()
        if existing is not None:
            courses[spec["code"]] = existing
            continue
        course = CoursePage(
            title=spec["title"], slug=spec["code"].lower(), code=spec["code"], level=spec["level"],
            credits=spec["credits"], class_hours=spec["hours"], summary=spec["summary"],
            specialty=taxonomy["specialties"][spec["specialty"]],
            is_quality_course=spec["quality"] is not None, quality_year=spec["quality"],
            last_major_revision=date.fromisoformat(spec["major"]),
            last_minor_revision=date.fromisoformat(spec["minor"]) if spec["minor"] else None,
            learning_outcomes=f"<ul><li>掌握{spec['title']}的核心技能</li><li>能在生产实践中规范操作</li></ul>",
        )
        course.industries = [taxonomy["industries"][code] for code in spec["industries"]]
        course.programs = [taxonomy["programs"][code] for code in spec["programs"]]
        course.skill_certificates = [taxonomy["certificates"][code] for code in spec["certificates"]]
        teacher = next((u for u in users.values() if _teaches(u, spec["institution"])), None)
        course.teachers = [CourseTeacher(name=teacher.profile.real_name if teacher else "课程团队", title="讲师",
                                         user=teacher)]
        _publish_child(sections[spec["institution"]], course)
        related = [r for code in spec["industries"] for r in by_industry.get(code, [])]
        n = 0
        for u, (unit_title, lessons) in enumerate(spec["units"], start=1):
            unit = _publish_child(course, UnitPage(title=unit_title, slug=f"unit-{u}",
                                                   summary=f"{spec['title']}·{unit_title}"))
            for lesson_number, lesson_title in enumerate(lessons, start=1):
                resource = related[n % len(related)] if related else None
                n += 1
                _publish_child(unit, LessonPage(
                    title=lesson_title, slug=f"lesson-{lesson_number}", duration_minutes=30,
                    summary=f"{unit_title}：{lesson_title}", body=_lesson_body(spec, lesson_title, resource)))
        courses[spec["code"]] = course
    return courses


def _teaches(user, institution_code: str) -> bool:
    profile = getattr(user, "profile", None)
    return bool(profile and profile.role == "teacher" and profile.institution
                and profile.institution.code == institution_code)


def ensure_packages(sections, taxonomy, regions, items_by_code) -> None:
    for spec in data.PACKAGES:
        if TrainingPackagePage.objects.filter(code=spec["code"]).exists():
            continue
        package = TrainingPackagePage(
            title=spec["title"], slug=spec["code"].lower(), code=spec["code"],
            program=taxonomy["programs"][spec["program"]], target_group=spec["target_group"],
            summary=spec["summary"], skill_standard=spec["skill_standard"], hours=spec["hours"],
            assessment=spec["assessment"], certificate_name=spec["certificate"], quota=spec["quota"],
            skill_certificate=taxonomy["certificates"].get(spec["skill_certificate"]),
        )
        package.regions = [regions[code] for code in spec["regions"]]
        package.items = [PackageItem(item=items_by_code[code], sort_order=i) for i, code in enumerate(spec["items"])]
        _publish_child(sections[spec["institution"]], package)

"""Course rows: one CoursePage per code, filed in its institution's section of the catalogue.

Columns (English or Chinese headers): code, title, institution_code, level (中职/高职/职业本科/社会培训 or
the codes), credits, class_hours, specialty_code, industries, programs, certificates (codes or names,
separated by , or 、), summary, is_quality_course (是/否), quality_year, last_major_revision,
last_minor_revision. Only the columns present in the file are written: leaving a column out keeps
what the page already has.
"""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from lms.institutions.api import Institution

from ..models import CoursePage, Industry, InstitutionSectionPage, Level, SkillCertificate, Specialty, TrainingProgram
from . import pages, values
from .base import Column, Parsed, RowKind, RowReader
from .values import BadValue, Lookup

SCALARS = ("title", "level", "credits", "class_hours", "specialty", "summary", "is_quality_course",
           "quality_year", "last_major_revision", "last_minor_revision")
RELATIONS = ("industries", "programs", "skill_certificates")


class CourseRows(RowKind):
    kind = "courses"
    columns = [
        Column("code", "code", ("课程代码", "课程编号", "course_code"), required=True),
        Column("title", "title", ("课程名称", "名称", "course_title"), required=True),
        Column("institution_code", "institution_code", ("院校代码", "学校代码", "institution"), required=True),
        Column("level", "level", ("层次", "办学层次"), required=True),
        Column("credits", "credits", ("学分",)),
        Column("class_hours", "class_hours", ("学时", "课时")),
        Column("specialty_code", "specialty_code", ("专业代码", "专业", "specialty")),
        Column("industries", "industries", ("产业", "所属产业", "industry")),
        Column("programs", "programs", ("培训项目", "项目", "program")),
        Column("certificates", "certificates", ("1+X证书", "证书", "skill_certificates")),
        Column("summary", "summary", ("简介", "课程简介")),
        Column("is_quality_course", "is_quality_course", ("精品课程", "精品", "quality", "quality_flag")),
        Column("quality_year", "quality_year", ("精品年份", "立项年份")),
        Column("last_major_revision", "last_major_revision", ("最近大修订", "大修订日期", "major_revision")),
        Column("last_minor_revision", "last_minor_revision", ("最近小修订", "小修订日期", "minor_revision")),
    ]

    def load(self, rows):
        codes = [str(r.values.get("code", "")).strip() for r in rows]
        self.institutions = Lookup(Institution.objects.all(), keys=("code",), what=_("institution"))
        self.specialties = Lookup(Specialty.objects.all(), keys=("code",), what=_("specialty"))
        self.industries = Lookup(Industry.objects.all(), what=_("industry"))
        self.programs = Lookup(TrainingProgram.objects.all(), what=_("training program"))
        self.certificates = Lookup(SkillCertificate.objects.all(), keys=("code",), what=_("1+X certificate"))
        self.sections = {s.institution_id: s for s in InstitutionSectionPage.objects.all()}
        self.existing = {
            page.code.casefold(): page
            for page in CoursePage.objects.filter(code__in=[c for c in codes if c])
            .prefetch_related("industries", "programs", "skill_certificates")
        }

    def parse(self, reader: RowReader) -> Parsed | None:
        v: dict = {}
        code = reader.get("code", values.text, max_length=32, required=True)
        v["title"] = reader.get("title", values.text, max_length=255, required=True)
        institution = reader.get("institution_code", self.institutions.one, required=True)
        v["level"] = reader.get("level", values.choice, choices=Level, required=True)
        optional = {
            "credits": lambda: reader.get("credits", values.decimal, max_value=Decimal("999.9")),
            "class_hours": lambda: reader.get("class_hours", values.integer, maximum=10_000) or 0,
            "specialty": lambda: reader.get("specialty_code", self.specialties.one),
            "industries": lambda: reader.get("industries", self.industries.many),
            "programs": lambda: reader.get("programs", self.programs.many),
            "skill_certificates": lambda: reader.get("certificates", self.certificates.many),
            "summary": lambda: reader.get("summary", values.text, max_length=1000),
            "is_quality_course": lambda: reader.get("is_quality_course", values.boolean),
            "quality_year": lambda: reader.get("quality_year", values.integer, minimum=1990, maximum=2100),
            "last_major_revision": lambda: reader.get("last_major_revision", values.date),
            "last_minor_revision": lambda: reader.get("last_minor_revision", values.date),
        }
        column_of = {"specialty": "specialty_code", "skill_certificates": "certificates"}
        for name, read in optional.items():
            if reader.has(column_of.get(name, name)):
                v[name] = read()
        if reader.errors:
            return None
        return Parsed(line=reader.row.line, code=code, values=v, extra={"institution": institution})

    def plan(self, parsed: Parsed) -> None:
        institution = parsed.extra["institution"]
        existing = self.existing.get(parsed.code.casefold())
        if existing is None:
            if not parsed.values.get("summary"):
                raise BadValue(_("summary is required for a new course"))
            parsed.action = "create"
            return
        if existing.institution_id != institution.pk:
            raise BadValue(_("course %(code)s belongs to another institution; the import does not move courses") % {
                "code": existing.code})
        parsed.existing = existing
        base = pages.editable(existing)
        parsed.extra["base"] = base
        changed = any(getattr(base, k) != val for k, val in parsed.values.items() if k in SCALARS)
        changed = changed or any(
            pages.m2m_differs(base, k, val) for k, val in parsed.values.items() if k in RELATIONS)
        parsed.action = "update" if changed else "unchanged"

    def apply(self, parsed: Parsed) -> None:
        scalars = {k: val for k, val in parsed.values.items() if k in SCALARS}
        relations = {k: val for k, val in parsed.values.items() if k in RELATIONS}
        if parsed.action == "create":
            institution = parsed.extra["institution"]
            section = self.sections.get(institution.pk) or self._provision(institution)
            slug = pages.free_slug(section, parsed.code, parsed.values["title"])
            page = CoursePage(code=parsed.code, slug=slug, **scalars)
            for name, objs in relations.items():
                setattr(page, name, objs)
            pages.create_published(section, page)
            return
        base = parsed.extra["base"]
        for name, val in {**scalars, **relations}.items():
            setattr(base, name, val)
        pages.save_update(base, publish=pages.publishes_updates(parsed.existing))

    def _provision(self, institution):
        from courses.authoring import provision_institution

        section = provision_institution(institution)
        self.sections[institution.pk] = section
        return section

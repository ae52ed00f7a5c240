"""Public interface of ``courses``: catalogue queries used by the pages, and authoring set-up.

Every listing here runs a fixed number of queries however much content there is (tests assert it):
related rows come through ``select_related``/``prefetch_related`` and tree queries, never per item.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from wagtail.models import Page, ReferenceIndex

from lms.institutions.models import Cluster, Institution

from .models import (
    CatalogueIndexPage,
    CoursePage,
    Industry,
    InstitutionSectionPage,
    LessonPage,
    Level,
    PackageItem,
    ResourceLibraryPage,
    ResourcePage,
    TrainingPackagePage,
    TrainingProgram,
    UnitPage,
)

__all__ = [
    "CatalogueFilters", "course_catalogue", "course_outline", "home_highlights", "lesson_navigation",
    "library_contents", "library_listing", "package_items", "package_listing", "paginate", "record_lesson_visit",
    "resource_usage", "section_contents", "unit_outline",
]

PAGE_SIZE = 20


@dataclass
class CatalogueFilters:
    """The catalogue's filter form, read leniently: unknown values are ignored, never an error page."""

    industry: str = ""
    level: str = ""
    cluster: str = ""
    institution: str = ""
    program: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, params) -> CatalogueFilters:
        def pick(name, allowed):
            value = (params.get(name) or "").strip()
            return value if value in allowed else ""

        try:
            page = max(1, int(params.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        return cls(
            industry=(params.get("industry") or "").strip()[:32],
            level=pick("level", Level.values),
            cluster=pick("cluster", Cluster.values),
            institution=(params.get("institution") or "").strip()[:64],
            program=(params.get("program") or "").strip()[:32],
            page=page,
        )

    @property
    def active(self) -> bool:
        return any([self.industry, self.level, self.cluster, self.institution, self.program])


@dataclass
class Catalogue:
    filters: CatalogueFilters
    page: PaginatorPage
    facets: dict = field(default_factory=dict)
    chips: list[tuple[str, str]] = field(default_factory=list)


def _live_courses(root: Page) -> QuerySet:
    return CoursePage.objects.live().public().descendant_of(root)


def course_catalogue(root: CatalogueIndexPage, params) -> Catalogue:
    """Published courses under ``root`` narrowed by the filters in ``params``; 20 to a page.

    A filter value that names no industry, program or institution is dropped (not an empty result), so a
    stale or hand-edited link still shows a useful catalogue. ``chips`` lists the filters in force as
    (parameter, label) pairs for "remove this filter" links.
    """
    filters = CatalogueFilters.from_query(params)
    facets = _catalogue_facets()
    labels = {
        "industry": {row["code"]: row["name"] for row in facets["industries"]},
        "program": {row["code"]: row["name"] for row in facets["programs"]},
        "institution": {row["slug"]: row["name"] for row in facets["institutions"]},
        "level": dict(facets["levels"]),
        "cluster": dict(facets["clusters"]),
    }
    chips = []
    for name, known in labels.items():
        value = getattr(filters, name)
        if value and value not in known:
            setattr(filters, name, "")
        elif value:
            chips.append((name, str(known[value])))

    courses = _live_courses(root)
    if filters.industry:
        courses = courses.filter(industries__code=filters.industry)
    if filters.program:
        courses = courses.filter(programs__code=filters.program)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.cluster:
        courses = courses.filter(cluster=filters.cluster)
    if filters.institution:
        courses = courses.filter(institution__slug=filters.institution)
    courses = (
        courses.select_related("institution", "cover", "specialty")
        .prefetch_related("industries")
        .order_by("-is_quality_course", "title", "pk")
        .distinct()
    )
    page = Paginator(courses, PAGE_SIZE).get_page(filters.page)
    return Catalogue(filters=filters, page=page, facets=facets, chips=chips)


def _catalogue_facets() -> dict:
    """The filter form's choices: three small taxonomy queries, whatever the number of courses."""
    return {
        "industries": list(Industry.objects.order_by("kind", "code").values("code", "name")),
        "programs": list(TrainingProgram.objects.order_by("code").values("code", "name")),
        "institutions": list(
            Institution.objects.filter(section_page__isnull=False).order_by("code").values("slug", "name")
        ),
        "levels": Level.choices,
        "clusters": Cluster.choices,
    }


def paginate(items, params, *, per_page: int = PAGE_SIZE) -> PaginatorPage:
    """One page of ``items`` from ``?page=``; a missing, malformed or out-of-range number gives a valid page."""
    try:
        number = max(1, int(params.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    return Paginator(items, per_page).get_page(number)


def library_listing(root: Page) -> QuerySet:
    return (
        ResourceLibraryPage.objects.live().public().descendant_of(root)
        .select_related("institution", "specialty", "cover")
        .order_by("title")
    )


def package_listing(root: Page) -> QuerySet:
    return (
        TrainingPackagePage.objects.live().public().descendant_of(root)
        .select_related("institution", "program", "cover")
        .order_by("program__code", "title")
    )


def home_highlights(*, site_root: Page) -> dict:
    catalogue = CatalogueIndexPage.objects.live().child_of(site_root).first()
    if catalogue is None:
        return {"catalogue": None, "quality_courses": [], "packages": [], "industries": []}
    quality = (
        _live_courses(catalogue).filter(is_quality_course=True)
        .select_related("institution", "cover").prefetch_related("industries")
        .order_by("-quality_year", "title")[:6]
    )
    return {
        "catalogue": catalogue,
        "quality_courses": list(quality),
        "packages": list(package_listing(catalogue)[:6]),
        "industries": list(Industry.objects.filter(kind=Industry.Kind.FEATURED).order_by("code")),
    }


def section_contents(section: InstitutionSectionPage) -> dict:
    children = Page.objects.live().public().child_of(section)
    return {
        "courses": CoursePage.objects.filter(pk__in=children.type(CoursePage).values("pk")).order_by("title"),
        "libraries": ResourceLibraryPage.objects.filter(pk__in=children.type(ResourceLibraryPage).values("pk")),
        "packages": TrainingPackagePage.objects.filter(pk__in=children.type(TrainingPackagePage).values("pk")),
    }


def course_outline(course: CoursePage) -> dict:
    """Units with their lessons, in tree order, in two queries."""
    units = list(UnitPage.objects.live().public().child_of(course).order_by("path"))
    lessons = LessonPage.objects.live().public().descendant_of(course).order_by("path")
    by_unit: dict[str, list] = {unit.path: [] for unit in units}
    for lesson in lessons:
        by_unit.setdefault(lesson.path[: -Page.steplen], []).append(lesson)
    for unit in units:
        unit.outline_lessons = by_unit.get(unit.path, [])
    return {
        "units": units,
        "teachers": list(course.teachers.all()),
        "industries": list(course.industries.all()),
        "certificates": list(course.skill_certificates.all()),
        "programs": list(course.programs.all()),
    }


def unit_outline(unit: UnitPage) -> dict:
    return {"lessons": list(LessonPage.objects.live().public().child_of(unit).order_by("path"))}


def lesson_navigation(lesson: LessonPage) -> dict:
    siblings = list(
        LessonPage.objects.live().public().sibling_of(lesson, inclusive=True).order_by("path")
        .only("id", "title", "url_path", "path", "depth")
    )
    position = next((i for i, page in enumerate(siblings) if page.pk == lesson.pk), 0)
    unit = Page.objects.filter(path=lesson.path[: -Page.steplen]).first()
    # The course itself (not a bare Page): activity blocks need its code for their xAPI IRIs.
    course = CoursePage.objects.filter(path=lesson.path[: -2 * Page.steplen]).first()
    return {
        "unit": unit,
        "course": course,
        "previous_lesson": siblings[position - 1] if position > 0 else None,
        "next_lesson": siblings[position + 1] if position + 1 < len(siblings) else None,
    }


def record_lesson_visit(request, lesson: LessonPage, course: CoursePage | None) -> bool:
    """Tell ``lms.completion`` that the signed-in learner opened ``lesson`` (it records the visit once, and
    only for learners enrolled in the course). Previews in the admin are not visits.

    Returns whether the page should invite the visitor to enrol (nothing they do here would count).
    """
    from lms.completion import api as completion

    from .sync_outline import course_iri, lesson_iri

    user = getattr(request, "user", None)
    if course is None or getattr(request, "is_preview", False):
        return False
    state = completion.lesson_visit(user, lesson_iri=lesson_iri(course, lesson.pk), offering_iri=course_iri(course),
                                    title=lesson.title, url=lesson.get_full_url(request) or "")
    return state in ("anonymous", "not_enrolled")


def library_contents(library: ResourceLibraryPage, params) -> dict:
    resources = (
        ResourcePage.objects.live().public().child_of(library)
        .select_related("industry", "file", "image").order_by("path")
    )
    kind = (params.get("type") or "").strip()
    if kind in ResourcePage.ResourceType.values:
        resources = resources.filter(resource_type=kind)
    try:
        page_number = max(1, int(params.get("page", 1)))
    except (TypeError, ValueError):
        page_number = 1
    return {
        "resources": Paginator(resources, PAGE_SIZE).get_page(page_number),
        "resource_type": kind,
        "resource_types": ResourcePage.ResourceType.choices,
        "partners": list(library.partner_institutions.all()),
    }


def resource_usage(resource: ResourcePage) -> list[Page]:
    """Live pages (lessons, packages) that reference ``resource``, from Wagtail's reference index.

    Two queries however often the resource is reused: the referring page ids, then those pages.
    References from a package's items are indexed against the package page itself.
    """
    page_type = ContentType.objects.get_for_model(Page)
    ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(resource)
        .filter(base_content_type=page_type).values_list("object_id", flat=True)
        if str(object_id).isdigit()
    }
    return list(Page.objects.live().public().filter(pk__in=ids).order_by("path"))


def package_items(package: TrainingPackagePage) -> list[PackageItem]:
    items = list(package.items.select_related("item", "item__content_type").order_by("sort_order"))
    live = set(
        Page.objects.live().public().filter(pk__in=[i.item_id for i in items]).values_list("pk", flat=True)
    )
    return [item for item in items if item.item_id in live]

"""Province scale (``seed_demo --scale province``): 500 courses (each with 2 units of 2 lessons), 50
resource libraries and 10,000 resources, in minutes rather than hours.

``add_child`` + ``publish`` costs dozens of queries per page; here pages are written the way
treebeard stores them: paths computed in memory (parent path + a base-36 step), base ``Page`` rows
and the specific tables inserted in batches, ``numchild`` set on the new pages and bumped once on
each existing parent, and one live revision per page inserted in bulk. The tree stays consistent
(``Page.find_problems()`` finds nothing; the test checks it). Afterwards the outlines of the new
courses are pushed, as the publish hooks would have done; indexing the new pages for search is
optional (``--index-search``) because segmenting 13,000 Chinese pages dominates the run time.

Idempotent by code (courses, resources) and slug (libraries): a second run adds only what is missing.
"""
from __future__ import annotations

import sys
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from taggit.models import Tag
from tqdm import tqdm
from wagtail.models import Locale, Page, Revision

from courses.models import (
    CoursePage,
    Industry,
    InstitutionSectionPage,
    LessonPage,
    Level,
    ResourceLibraryPage,
    ResourcePage,
    Specialty,
    TrainingProgram,
    UnitPage,
)
from courses.models.library import ResourceTag

PROVINCE = {"courses": 500, "libraries": 50, "resources": 10_000}
UNITS, LESSONS = 2, 2
BATCH = 500
COURSE_CODE, LIBRARY_SLUG, RESOURCE_CODE = "GS-P-{:04d}", "province-library-{:02d}", "GS-PR-{:05d}"
TOPICS = ["饲养管理", "疫病防控", "设施栽培", "病虫害防治", "采后处理", "电商营销", "质量安全", "机械操作",
          "加工技术", "经营管理"]
RESOURCE_TYPES = ["link", "simulation", "link", "link"]  # file-less types: no files to upload at this scale


@dataclass
class ProvinceResult:
    courses: int = 0
    libraries: int = 0
    resources: int = 0
    pages: int = 0

    def counts(self) -> dict:
        return {"courses": self.courses, "libraries": self.libraries, "resources": self.resources,
                "pages": self.pages}


class BulkTree:
    """Collects new pages under parents, then writes them level by level in batches."""

    def __init__(self):
        self.now = timezone.now()
        self.locale_id = Locale.get_default().pk
        self.page_type = ContentType.objects.get_for_model(Page)
        self.next_step: dict[str, int] = {}
        self.added_to_existing: dict[str, int] = defaultdict(int)
        self.levels: dict[int, list[Page]] = defaultdict(list)

    def add(self, parent: Page, page: Page, *, parent_is_new: bool = False) -> Page:
        if parent.path not in self.next_step:
            last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path")
            last_path = last.values_list("path", flat=True).first()
            self.next_step[parent.path] = Page._str2int(last_path[-Page.steplen:]) + 1 if last_path else 1
        step = self.next_step[parent.path]
        self.next_step[parent.path] = step + 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, step)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = ContentType.objects.get_for_model(type(page))
        page.locale_id = self.locale_id
        page.translation_key = uuid.uuid4()
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = self.now
        # Unset child relations and parental many-to-many fields would each cost a query when the
        # revision is serialised; a new page has none, so say so in memory.
        in_memory = getattr(page, "_cluster_related_objects", {})
        for name in _cluster_names(type(page)):
            if name not in in_memory:
                setattr(page, name, [])
        if parent_is_new:
            parent.numchild += 1
        else:
            self.added_to_existing[parent.path] += 1
        self.levels[page.depth].append(page)
        return page

    def write(self, *, progress: bool) -> int:
        pages = [page for depth in sorted(self.levels) for page in self.levels[depth]]
        bar = tqdm(total=len(pages), desc="pages", unit="page", file=sys.stderr, disable=not progress or not pages)
        for depth in sorted(self.levels):
            by_model: dict[type, list[Page]] = defaultdict(list)
            for page in self.levels[depth]:
                by_model[type(page)].append(page)
            for model, batch in by_model.items():
                for start in range(0, len(batch), BATCH):
                    self._insert(model, batch[start:start + BATCH])
                    bar.update(len(batch[start:start + BATCH]))
        bar.close()
        for path, count in self.added_to_existing.items():
            Page.objects.filter(path=path).update(numchild=F("numchild") + count)
        return len(pages)

    def _insert(self, model: type[Page], pages: list[Page]) -> None:
        base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        rows = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for page in pages])
        for page, row in zip(pages, rows, strict=True):
            page.pk = page.id = page.page_ptr_id = row.pk
        model._base_manager._insert(pages, fields=model._meta.local_concrete_fields, using=connection.alias)
        for through_rows in self._relations(model, pages).values():
            through_rows[0].__class__.objects.bulk_create(through_rows)
        revisions = Revision.objects.bulk_create([
            Revision(content_type=page.content_type, base_content_type=self.page_type, object_id=str(page.pk),
                     created_at=self.now, content=page.serializable_data(), object_str=page.title)
            for page in pages
        ])
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision_id = page.live_revision_id = revision.pk
        Page.objects.bulk_update([Page(pk=page.pk, latest_revision_id=page.latest_revision_id,
                                       live_revision_id=page.live_revision_id) for page in pages],
                                 ["latest_revision", "live_revision"])

    @staticmethod
    def _relations(model, pages) -> dict[str, list]:
        relations: dict[str, list] = defaultdict(list)
        if model is CoursePage:
            for page in pages:
                for name in ("industries", "programs"):
                    through = getattr(CoursePage, name).through
                    target = "industry_id" if name == "industries" else "trainingprogram_id"
                    for obj in getattr(page, name).all():
                        relations[name].append(through(coursepage_id=page.pk, **{target: obj.pk}))
        if model is ResourcePage:
            for page in pages:
                for item in page.tagged_items.all():
                    relations["tags"].append(ResourceTag(content_object_id=page.pk, tag_id=item.tag_id))
        return {name: rows for name, rows in relations.items() if rows}


@cache
def _cluster_names(model: type[Page]) -> tuple[str, ...]:
    relations = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    m2m = [f.name for f in model._meta.get_fields() if isinstance(f, ParentalManyToManyField)]
    return tuple(relations + m2m)


def _lesson_body(course_title: str, topic: str, n: int) -> str:
    import json

    return json.dumps([
        {"type": "text",
         "value": f"<h2>{topic}（{n}）</h2><p>本课讲授《{course_title}》中与{topic}有关的知识与操作规范。</p>"},
        {"type": "callout", "value": {"kind": "tip", "text": "<p>结合本地生产实际完成课后练习。</p>"}},
    ], ensure_ascii=False)


@transaction.atomic
def build_province(*, factor: float = 1.0, progress: bool = False, index_search: bool = False) -> ProvinceResult:
    """Add the province-scale catalogue (sizes times ``factor``) under the demo's institution sections."""
    sections = list(InstitutionSectionPage.objects.select_related("institution__region__parent").order_by("path"))
    if not sections:
        raise LookupError("No institution sections yet: build the demo content first.")
    wanted = {key: max(1, round(count * factor)) for key, count in PROVINCE.items()}
    industries = list(Industry.objects.order_by("kind", "code"))
    programs = list(TrainingProgram.objects.order_by("code"))
    specialties = list(Specialty.objects.order_by("code"))
    tree = BulkTree()
    result = ProvinceResult()

    existing_codes = set(CoursePage.objects.filter(code__startswith="GS-P-").values_list("code", flat=True))
    for i in range(1, wanted["courses"] + 1):
        code = COURSE_CODE.format(i)
        if code in existing_codes:
            continue
        section = sections[i % len(sections)]
        industry = industries[i % len(industries)] if industries else None
        topic = TOPICS[i % len(TOPICS)]
        title = f"{industry.name if industry else ''}{topic}实务（{i}）"
        course = CoursePage(
            title=title, slug=code.lower(), code=code, level=Level.values[i % len(Level.values)],
            credits=Decimal(1 + i % 4), class_hours=16 * (1 + i % 4), summary=f"全省共享课程：{title}。",
            institution=section.institution, cluster=section.institution.cluster,
            specialty=specialties[i % len(specialties)] if specialties else None,
            is_quality_course=i % 5 == 0, quality_year=2020 + i % 6 if i % 5 == 0 else None,
        )
        course.industries = [industry] if industry else []
        course.programs = [programs[i % len(programs)]] if programs else []
        tree.add(section, course)
        for u in range(1, UNITS + 1):
            unit = tree.add(course, UnitPage(title=f"第{u}单元 {topic}", slug=f"unit-{u}",
                                             institution=section.institution), parent_is_new=True)
            for n in range(1, LESSONS + 1):
                tree.add(unit, LessonPage(title=f"{topic}（{u}-{n}）", slug=f"lesson-{n}", duration_minutes=30,
                                          institution=section.institution, body=_lesson_body(title, topic, n)),
                         parent_is_new=True)
        result.courses += 1

    libraries = {lib.slug: lib for lib in ResourceLibraryPage.objects.filter(slug__startswith="province-library-")}
    ordered_libraries = []
    for i in range(1, wanted["libraries"] + 1):
        slug = LIBRARY_SLUG.format(i)
        library = libraries.get(slug)
        if library is None:
            section = sections[i % len(sections)]
            specialty = specialties[i % len(specialties)] if specialties else None
            library = tree.add(section, ResourceLibraryPage(
                title=f"{specialty.name if specialty else ''}专业教学资源库（{i}）", slug=slug,
                summary="省级专业教学资源库（规模测试数据）。", specialty=specialty, institution=section.institution))
            result.libraries += 1
        ordered_libraries.append((library, library.slug not in libraries))

    tags = [Tag.objects.get_or_create(name=topic, defaults={"slug": f"topic-{n}"})[0] for n, topic in enumerate(TOPICS)]
    existing_resources = set(ResourcePage.objects.filter(code__startswith="GS-PR-").values_list("code", flat=True))
    for i in range(1, wanted["resources"] + 1):
        code = RESOURCE_CODE.format(i)
        if code in existing_resources:
            continue
        library, library_is_new = ordered_libraries[i % len(ordered_libraries)]
        topic = TOPICS[i % len(TOPICS)]
        resource = ResourcePage(
            title=f"{topic}教学资源（{i}）", slug=code.lower(), code=code,
            resource_type=RESOURCE_TYPES[i % len(RESOURCE_TYPES)], link_url=f"https://www.smartedu.cn/?r={i}",
            author="资源库建设团队", level=Level.values[i % len(Level.values)],
            industry=industries[i % len(industries)] if industries else None, institution=library.institution,
            description=f"{library.title}中的{topic}资源。",
        )
        resource.tagged_items = [ResourceTag(tag=tags[i % len(tags)])]
        tree.add(library, resource, parent_is_new=library_is_new)
        result.resources += 1

    result.pages = tree.write(progress=progress)
    new_pages = [page for level in tree.levels.values() for page in level]
    transaction.on_commit(lambda: _after_publish(new_pages, progress=progress, index_search=index_search))
    return result


def _after_publish(pages: list[Page], *, progress: bool, index_search: bool) -> None:
    """What the publish hooks do for an editor's publish: course outlines to lms.completion, and (when
    asked: it is the slow part, ~7 pages/s with Chinese segmentation) the search index."""
    from courses import sync_outline, sync_search
    from search import api as search_api

    courses = [p for p in pages if isinstance(p, CoursePage)]
    for course in tqdm(courses, desc="outlines", unit="course", file=sys.stderr, disable=not progress or not courses):
        sync_outline.push_for_page(CoursePage.objects.get(pk=course.pk))
    if not index_search:
        return
    ids = [p.pk for p in pages]
    bar = tqdm(total=len(ids), desc="search index", unit="page", file=sys.stderr, disable=not progress or not ids)
    for start in range(0, len(ids), BATCH):
        chunk = Page.objects.filter(pk__in=ids[start:start + BATCH]).specific()
        search_api.index_documents(doc for doc in map(sync_search.build_document, chunk) if doc is not None)
        bar.update(len(ids[start:start + BATCH]))
    bar.close()

"""Keep the search index in step with published pages.

``search`` sits below ``courses`` and may not import it, so this module turns pages into
:class:`search.data.SearchDocument` values and pushes them through ``search.api``:

- publish → index the page (and re-index a course's live lessons, which inherit its facets);
- unpublish, delete, or a view restriction other than "signed-in users" → remove it and its subtree
  (pages under an unpublished ancestor are never searchable);
- move → re-index the subtree (URLs change);
- ``search.api.rebuild()`` asks :func:`all_documents` for everything that is live.

Labels are stored in the default language (zh-Hans); codes are what URLs and filters carry.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import api as search_api
from search.data import Audience, FacetValue, SearchDocument

from .models import CoursePage, LessonPage, ResourceLibraryPage, ResourcePage, TrainingPackagePage

INDEXED = (CoursePage, LessonPage, ResourcePage, ResourceLibraryPage, TrainingPackagePage)


def document_key(page_id: int) -> str:
    return f"page:{page_id}"


def _text(html: str) -> str:
    return " ".join(strip_tags(html or "").split())


def _stream_text(value) -> str:
    """Every string inside a StreamField's raw data, tags stripped (ids and URLs left out)."""
    parts: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, child in node.items():
                if key not in {"id", "type", "url", "activity_id"}:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, str):
            cleaned = _text(node)
            # Skip bare identifiers and URLs; keep prose (spaces) and anything Chinese.
            if " " in cleaned or re.search(r"[^\x00-\x7f]", cleaned):
                parts.append(cleaned)

    walk(list(value.raw_data) if value is not None else [])
    return " ".join(p for p in parts if p)


def _institution(page) -> tuple[FacetValue, ...]:
    inst = page.institution
    return (FacetValue(inst.slug, inst.name),) if inst else ()


def _course_facets(course: CoursePage) -> dict[str, tuple[FacetValue, ...]]:
    return {
        "industry": tuple(FacetValue(i.code, i.name) for i in course.industries.all()),
        "level": (FacetValue(course.level, str(course.get_level_display())),) if course.level else (),
        "institution": _institution(course),
        "cluster": (FacetValue(course.cluster, str(course.get_cluster_display())),) if course.cluster else (),
        "program": tuple(FacetValue(p.code, p.name) for p in course.programs.all()),
        "certificate": tuple(FacetValue(c.code, str(c)) for c in course.skill_certificates.all()),
    }


def _audience(page: Page) -> str | None:
    """Public, signed-in only, or ``None`` when the page must stay out of search altogether."""
    restrictions = page.get_view_restrictions()
    if not restrictions:
        return Audience.PUBLIC
    if all(r.restriction_type == PageViewRestriction.LOGIN for r in restrictions):
        return Audience.LOGIN
    return None


def build_document(page: Page) -> SearchDocument | None:
    """The search document of a live page, or ``None`` if it is not searchable."""
    page = page.specific
    if not isinstance(page, INDEXED) or not page.live:
        return None
    # Wagtail keeps serving a live lesson under an unpublished course; search does not offer it.
    if Page.objects.ancestor_of(page).filter(live=False, depth__gt=1).exists():
        return None
    audience = _audience(page)
    if audience is None:
        return None
    common = dict(
        key=document_key(page.pk), title=page.title, url=page.url or "", audience=audience,
        published_at=page.last_published_at or page.first_published_at or timezone.now(),
    )
    if isinstance(page, CoursePage):
        teachers = " ".join(t.name for t in page.teachers.all())
        return SearchDocument(
            kind="course", summary=page.summary, keywords=f"{page.code} {teachers}",
            body=_text(page.learning_outcomes) + " " + _text(page.prerequisites),
            facets=_course_facets(page), **common,
        )
    if isinstance(page, LessonPage):
        course = CoursePage.objects.ancestor_of(page).first()
        facets = _course_facets(course) if course else {"institution": _institution(page)}
        return SearchDocument(
            kind="lesson", summary=page.summary, body=_stream_text(page.body),
            keywords=course.title if course else "", facets=facets, **common,
        )
    if isinstance(page, ResourcePage):
        return SearchDocument(
            kind="resource", summary=page.description, keywords=" ".join([
                page.code, page.author, *(t.name for t in page.keywords.all())]),
            facets={
                "resource_type": (FacetValue(page.resource_type, str(page.get_resource_type_display())),),
                "industry": (FacetValue(page.industry.code, page.industry.name),) if page.industry else (),
                "level": (FacetValue(page.level, str(page.get_level_display())),) if page.level else (),
                "institution": _institution(page),
            },
            **common,
        )
    if isinstance(page, ResourceLibraryPage):
        return SearchDocument(
            kind="library", summary=page.summary,
            keywords=page.specialty.name if page.specialty else "",
            facets={"institution": _institution(page)}, **common,
        )
    cert = page.skill_certificate
    return SearchDocument(
        kind="package", summary=page.summary, keywords=f"{page.code} {page.target_group}",
        body=_text(page.skill_standard) + " " + _text(page.assessment),
        facets={
            "program": (FacetValue(page.program.code, page.program.name),),
            "certificate": (FacetValue(cert.code, str(cert)),) if cert else (),
            "institution": _institution(page),
        },
        **common,
    )


def sync_pages(pages: Iterable[Page]) -> None:
    """Index the searchable pages among ``pages`` and remove the rest from the index."""
    with translation.override(settings.LANGUAGE_CODE):
        documents, gone = [], []
        for page in pages:
            doc = build_document(page)
            if doc is None:
                gone.append(document_key(page.pk))
            else:
                documents.append(doc)
    search_api.index_documents(documents)
    search_api.remove_documents(gone)


def sync_subtree(page: Page) -> None:
    sync_pages(Page.objects.descendant_of(page, inclusive=True).specific())


def all_documents() -> Iterator[SearchDocument]:
    """Every searchable page's document (``search.api.rebuild`` source)."""
    with translation.override(settings.LANGUAGE_CODE):
        for model in INDEXED:
            for page in model.objects.live().iterator(chunk_size=500):
                doc = build_document(page)
                if doc is not None:
                    yield doc


# ---- signal receivers: after commit, so a rolled-back publish never reaches the index ----

def _on_published(sender, instance, **kwargs):
    if isinstance(instance, CoursePage):
        transaction.on_commit(lambda: sync_subtree(instance))
    elif isinstance(instance, INDEXED):
        transaction.on_commit(lambda: sync_pages([instance]))


def _on_unpublished(sender, instance, **kwargs):
    transaction.on_commit(lambda: sync_subtree(instance))


def _on_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        key = document_key(instance.pk)
        transaction.on_commit(lambda: search_api.remove_documents([key]))


def _on_moved(sender, instance, **kwargs):
    transaction.on_commit(lambda: sync_subtree(instance))


def _on_restriction_changed(sender, instance, **kwargs):
    page_id = instance.page_id

    def resync():
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            sync_subtree(page)

    transaction.on_commit(resync)


def connect() -> None:
    """Wire the receivers (called once from ``CoursesConfig.ready``) and register the rebuild source."""
    page_published.connect(_on_published, dispatch_uid="courses.sync_search.published")
    page_unpublished.connect(_on_unpublished, dispatch_uid="courses.sync_search.unpublished")
    post_delete.connect(_on_deleted, dispatch_uid="courses.sync_search.deleted")
    post_page_move.connect(_on_moved, dispatch_uid="courses.sync_search.moved")
    post_save.connect(_on_restriction_changed, sender=PageViewRestriction,
                      dispatch_uid="courses.sync_search.restriction_saved")
    post_delete.connect(_on_restriction_changed, sender=PageViewRestriction,
                        dispatch_uid="courses.sync_search.restriction_deleted")
    search_api.register_source(all_documents)

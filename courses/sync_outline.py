"""Push course and package outlines to ``lms.completion`` on publish (contract 4).

``lms`` may not import ``courses``, so this module turns the page tree into a plain
:class:`lms.completion.data.Outline`: for a course, each live lesson and each activity block inside it,
with its platform activity IRI (contract 2) and kind, plus the teacher's completion rules; for a
training package, its live courses. Publishing or unpublishing a lesson or unit re-pushes its course,
because the course's requirements changed.

It also answers the reverse question for the activity plugins: which lesson activity does a
(lesson id, activity id) pair from a request name (:func:`find_activity`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.http import Http404
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from lms.completion import api as completion
from lms.completion.data import CompletionRules, ItemKind, Outline, OutlineItem
from lms.xapi.api import activity_iri

from .models import CoursePage, LessonPage, TrainingPackagePage, UnitPage

__all__ = ["LessonActivity", "connect", "course_outline", "find_activity", "package_outline", "push_for_page"]

#: Activity types whose kind the completion rules know; other plugins' activities count as "activities".
KNOWN_KINDS = {ItemKind.VIDEO, ItemKind.DOCUMENT, ItemKind.QUIZ, ItemKind.ASSIGNMENT, ItemKind.ATTENDANCE}


def course_iri(course: CoursePage) -> str:
    return activity_iri("course", course.code)


def lesson_iri(course: CoursePage, lesson_id: int) -> str:
    return activity_iri("course", course.code, "lesson", str(lesson_id))


def _activity_blocks(lesson: LessonPage):
    for block in lesson.body:
        if block.block_type == "activity" and block.value.get("activity_id"):
            yield block.value


def course_outline(course: CoursePage) -> Outline:
    lessons = LessonPage.objects.live().public().descendant_of(course).order_by("path")
    items: list[OutlineItem] = []
    for lesson in lessons:
        items.append(OutlineItem(iri=lesson_iri(course, lesson.pk), kind=ItemKind.LESSON, title=lesson.title))
        for value in _activity_blocks(lesson):
            slug = value.get("activity_type") or ""
            items.append(OutlineItem(
                iri=activity_iri("course", course.code, "lesson", str(lesson.pk), value["activity_id"]),
                kind=slug if slug in KNOWN_KINDS else "activity", title=value.get("title") or "",
            ))
    return Outline(
        offering_iri=course_iri(course), kind="course", title=course.title, institution_id=course.institution_id,
        credits=Decimal(course.credits), class_hours=course.class_hours, url=course.url or "",
        skill_certificate_codes=tuple(course.skill_certificates.values_list("code", flat=True)),
        items=tuple(items),
        rules=CompletionRules(
            require_lessons=course.completion_require_lessons,
            require_activities=course.completion_require_activities,
            require_quiz_pass=course.completion_require_quiz_pass,
            require_attendance=course.completion_require_attendance,
            min_hours=Decimal(course.completion_min_hours),
        ),
    )


def package_outline(package: TrainingPackagePage) -> Outline:
    members = package.items.select_related("item").order_by("sort_order")
    live_courses = {
        c.pk: c for c in CoursePage.objects.live().public().filter(pk__in=[m.item_id for m in members])
    }
    items = tuple(
        OutlineItem(iri=course_iri(live_courses[m.item_id]), kind=ItemKind.COURSE,
                    title=live_courses[m.item_id].title, required=m.required)
        for m in members if m.item_id in live_courses
    )
    skill = package.skill_certificate
    return Outline(
        offering_iri=activity_iri("package", package.code), kind="package", title=package.title,
        institution_id=package.institution_id, class_hours=package.hours, url=package.url or "",
        skill_certificate_codes=(skill.code,) if skill else (), items=items,
        rules=CompletionRules(require_lessons=False, require_activities=True, require_quiz_pass=True,
                              require_attendance=True, min_hours=Decimal("0")),
    )


def push_for_page(page: Page) -> None:
    """Push the outline that ``page`` (a course, package, unit or lesson) belongs to."""
    page = page.specific
    if isinstance(page, TrainingPackagePage):
        completion.publish_outline(package_outline(page)) if page.live else completion.withdraw_outline(
            offering_iri=activity_iri("package", page.code))
        return
    course = page if isinstance(page, CoursePage) else CoursePage.objects.ancestor_of(page).first()
    if course is None:
        return
    if course.live:
        completion.publish_outline(course_outline(course))
    else:
        completion.withdraw_outline(offering_iri=course_iri(course))


def _on_change(sender, instance, **kwargs):
    transaction.on_commit(lambda: push_for_page(instance))


def connect() -> None:
    for model in (CoursePage, UnitPage, LessonPage, TrainingPackagePage):
        page_published.connect(_on_change, sender=model, dispatch_uid=f"sync_outline.published.{model.__name__}")
        page_unpublished.connect(_on_change, sender=model, dispatch_uid=f"sync_outline.unpublished.{model.__name__}")


@dataclass(frozen=True)
class LessonActivity:
    """An activity block on a live lesson, resolved from a request's (lesson id, activity id)."""

    lesson: LessonPage
    course: CoursePage
    activity_type: str
    activity_id: str
    title: str
    config: dict
    iri: str
    lesson_iri: str
    course_iri: str


def find_activity(lesson_id: int, activity_id: str, *, activity_type: str) -> LessonActivity:
    """The live activity block, or ``Http404`` — never an activity of another type or on a draft page."""
    lesson = LessonPage.objects.live().public().filter(pk=lesson_id).first()
    course = CoursePage.objects.live().ancestor_of(lesson).first() if lesson else None
    if lesson is None or course is None:
        raise Http404("No such lesson.")
    for value in _activity_blocks(lesson):
        if value["activity_id"] == activity_id and value.get("activity_type") == activity_type:
            try:
                config = json.loads(value.get("config") or "{}")
            except json.JSONDecodeError:
                config = {}
            return LessonActivity(
                lesson=lesson, course=course, activity_type=activity_type, activity_id=activity_id,
                title=value.get("title") or "", config=config if isinstance(config, dict) else {},
                iri=activity_iri("course", course.code, "lesson", str(lesson.pk), activity_id),
                lesson_iri=lesson_iri(course, lesson.pk), course_iri=course_iri(course),
            )
    raise Http404("No such activity in this lesson.")

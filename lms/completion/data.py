"""Shapes exchanged with other apps: the outline ``courses`` pushes, and completion records (contracts 4, 5)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


class ItemKind:
    LESSON = "lesson"
    VIDEO = "video"
    DOCUMENT = "document"
    QUIZ = "quiz"
    ASSIGNMENT = "assignment"
    ATTENDANCE = "attendance"
    COURSE = "course"  # a course inside a training package

    ALL = (LESSON, VIDEO, DOCUMENT, QUIZ, ASSIGNMENT, ATTENDANCE, COURSE)


@dataclass(frozen=True)
class OutlineItem:
    """Something a learner must do: an activity IRI (or, in a package, a course's offering IRI)."""

    iri: str
    kind: str
    title: str = ""
    required: bool = True


@dataclass(frozen=True)
class CompletionRules:
    """What the course's teacher asks for. Items not required by these rules still show progress."""

    require_lessons: bool = False  # every lesson visited to the end
    require_activities: bool = True  # every video, document and assignment completed
    require_quiz_pass: bool = True  # quizzes passed, not only attempted
    require_attendance: bool = True  # face-to-face sessions signed off by the trainer
    min_hours: Decimal = Decimal("0")  # learning time recorded across the course's activities


@dataclass(frozen=True)
class Outline:
    offering_iri: str
    kind: str  # "course" | "package"
    title: str
    institution_id: int | None
    credits: Decimal = Decimal("0")
    class_hours: int = 0
    skill_certificate_codes: tuple[str, ...] = ()
    items: tuple[OutlineItem, ...] = ()
    rules: CompletionRules = field(default_factory=CompletionRules)
    url: str = ""


@dataclass(frozen=True)
class CompletionRecord:
    id: int
    learner_id: int
    offering_iri: str
    kind: str
    title: str
    institution_id: int | None
    completed_at: datetime
    credits: Decimal
    class_hours: int
    skill_certificate_codes: tuple[str, ...]
    statement_ids: tuple[str, ...]

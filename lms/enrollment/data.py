"""Typed shapes the enrolment app hands to other apps."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EnrollmentRecord:
    id: int
    learner_id: int
    offering_iri: str
    kind: str
    title: str
    institution_id: int | None
    source: str
    enrolled_at: datetime
    via_package_iri: str | None = None


@dataclass(frozen=True)
class OfferingState:
    """What the enrol button needs to know about one offering for one person."""

    iri: str
    available: bool  # published and open for self-enrolment
    enrolled: bool
    full: bool
    title: str = ""
    url: str = ""


@dataclass(frozen=True)
class LearningItem:
    """One line of "My learning"."""

    offering_iri: str
    kind: str
    title: str
    url: str
    percent: int
    continue_url: str
    enrolled_at: datetime
    via_package_title: str = ""
    withdrawn: bool = False


@dataclass(frozen=True)
class CohortResult:
    enrolled: int
    already_enrolled: int

"""Typed read shapes of the progress app (what other apps get back from ``api``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ActivityProgress:
    """One learner's state on one activity, folded from their non-voided statements."""

    activity_iri: str
    completed: bool = False
    passed: bool | None = None
    best_score: float | None = None
    attempts: int = 0
    seconds: float = 0.0
    position: float | None = None
    percent: int = 0
    attended: bool = False
    last_at: datetime | None = None
    last_url: str = ""


ADL = "http://adlnet.gov/expapi/verbs/"


class Verb:
    """The xAPI verbs the platform's activities record (ADL vocabulary)."""

    LAUNCHED = ADL + "launched"
    INITIALIZED = ADL + "initialized"
    EXPERIENCED = ADL + "experienced"
    PROGRESSED = ADL + "progressed"
    COMPLETED = ADL + "completed"
    ATTEMPTED = ADL + "attempted"
    ANSWERED = ADL + "answered"
    PASSED = ADL + "passed"
    FAILED = ADL + "failed"
    SCORED = ADL + "scored"
    ATTENDED = ADL + "attended"
    TERMINATED = ADL + "terminated"
    VOIDED = ADL + "voided"


# Video profile extensions (https://w3id.org/xapi/video): current position and fraction watched.
VIDEO_TIME = "https://w3id.org/xapi/video/extensions/time"
VIDEO_PROGRESS = "https://w3id.org/xapi/video/extensions/progress"

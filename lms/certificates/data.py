from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CertificateRecord:
    number: str
    learner_id: int
    offering_iri: str
    institution_id: int | None
    issued_at: datetime
    skill_certificate_codes: tuple[str, ...]
    completion_id: int

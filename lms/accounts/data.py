"""Typed shapes the accounts app hands to other apps (import these, never the models)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    """Whose data a person may see, decided by their role (DESIGN.md, "Tenancy and scope").

    - learner: only their own records (``user_id``);
    - teacher, institution admin: their institution (``institution_id``);
    - city official: their city and its counties (``region_codes``);
    - province official (and superusers): everything (``everything``);
    - centre admin: learners of their overseas centre's Site (``centre_site_id``);
    - reviewer: content only, no learners' data.
    Apps filter their querysets with these fields, or with ``accounts.api.learners_in_scope(scope)``.
    """

    user_id: int | None
    role: str | None
    institution_id: int | None = None
    region_codes: frozenset[str] = field(default_factory=frozenset)
    centre_site_id: int | None = None
    everything: bool = False

    @property
    def is_institution_admin(self) -> bool:
        return self.role == "institution_admin" and self.institution_id is not None


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded spreadsheet, by its row number as the spreadsheet shows it."""

    row: int
    column: str
    message: str

    def __str__(self):
        return f"{self.row}: {self.column}: {self.message}" if self.column else f"{self.row}: {self.message}"


@dataclass(frozen=True)
class LearnerRow:
    """One learner to create in bulk (a row of the XLSX template)."""

    row: int
    username: str
    mobile: str
    real_name: str
    learner_type: str
    region_code: str
    password: str

"""Typed shapes the credit bank's ``api`` returns; safe for other apps to import."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Subtotal:
    key: str
    label: str
    credits: Decimal


@dataclass(frozen=True)
class AccountSummary:
    """A learner's credit, derived from the ledger: total, and recognised credit by source,
    institution and year. ``total`` leaves out transfers (credit re-expressed elsewhere)."""

    account_number: str
    learner_id: int
    total: Decimal
    entry_count: int
    by_source: list[Subtotal] = field(default_factory=list)
    by_institution: list[Subtotal] = field(default_factory=list)
    by_year: list[Subtotal] = field(default_factory=list)


@dataclass(frozen=True)
class LedgerEntryRecord:
    """A ledger entry as other apps see it. ``credits`` is negative for a reversal."""

    id: int
    learner_id: int
    kind: str
    offering_iri: str
    credits: Decimal
    is_transfer: bool
    recorded_at: object  # datetime

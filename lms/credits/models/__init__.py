"""The credit bank's tables. See ``../readme.md`` for the invariants each one keeps."""
from .feed import DeliveryAttempt, OutboxDelivery, ReceivedEntry
from .ledger import CreditAccount, EntryKind, LedgerEntry, Source
from .requests import RecognitionRequest
from .rules import CertificateCreditRule, CertificateLevel, CourseCreditRule, ExemptionRule, MutualRecognitionRule

__all__ = [
    "CertificateCreditRule", "CertificateLevel", "CourseCreditRule", "CreditAccount", "DeliveryAttempt",
    "EntryKind", "ExemptionRule", "LedgerEntry", "MutualRecognitionRule", "OutboxDelivery", "ReceivedEntry",
    "RecognitionRequest", "Source",
]

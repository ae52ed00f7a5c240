"""Public interface of the credit bank: the only write path to accounts, ledger and requests.

Entry points for the learner journey (cross-team contracts 5 and 6) take objects shaped like
``lms.completion.data.CompletionRecord`` and ``lms.certificates.data.CertificateRecord`` (read by
attribute only), so they work the same whether called by the signal receivers or directly.
Every write is idempotent: the same completion, certificate, reversal or decision arriving any number
of times, concurrently or not, leaves exactly one ledger entry (unique ``idempotency_key``).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from . import feed, rules
from .data import AccountSummary, LedgerEntryRecord, Subtotal
from .iri import activity_iri, offering_code
from .models import CreditAccount, EntryKind, LedgerEntry, RecognitionRequest, Source
from .permissions import (
    add_credit_officer,
    can_decide,
    can_view_account,
    decidable_requests,
    is_credit_officer,
    viewable_learners,
)
from .recognition import decide_recognition_request, submit_recognition_request

__all__ = [
    "AccountSummary", "CreditError", "EntryKind", "Source", "account_for", "account_summary", "add_credit_officer",
    "balance",
    "can_decide", "can_view_account", "credit_certificate", "credit_completion", "credit_completions",
    "decidable_requests", "decide_recognition_request", "entries_for", "is_credit_officer", "reverse_certificate",
    "reverse_completion", "submit_recognition_request", "viewable_learners",
]

TWO_PLACES = Decimal("0.01")


class CreditError(ValueError):
    """A request the credit bank refuses; ``status`` is the HTTP status a view should answer with."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


def account_for(learner) -> CreditAccount:
    """The learner's learning-outcome account, opened on first use (safe under concurrency)."""
    learner_id = learner if isinstance(learner, int) else learner.pk
    return CreditAccount.objects.get_or_create(learner_id=learner_id)[0]


def _append(*, account: CreditAccount, key: str, **fields) -> tuple[LedgerEntry, bool]:
    """Write one entry (and its outbox rows) unless its idempotency key is already in the ledger."""
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(account=account, idempotency_key=key, **fields)
            feed.enqueue(entry)
            _announce(entry)
    except IntegrityError:
        # A concurrent writer committed the same key first: theirs is the entry.
        existing = LedgerEntry.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
    return entry, True


def _announce(entry: LedgerEntry) -> None:
    """Tell subscribers (the dashboards) about a new entry once it is committed."""
    from . import signals
    from .data import LedgerEntryRecord

    record = LedgerEntryRecord(
        id=entry.pk, learner_id=entry.account.learner_id, kind=entry.kind, offering_iri=entry.offering_iri,
        credits=entry.credits, is_transfer=entry.is_transfer, recorded_at=entry.recorded_at,
    )
    transaction.on_commit(lambda: signals.ledger_entry_recorded.send(sender=LedgerEntry, entry=record))


def _learned_on(moment: datetime):
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _completion_entries(completion, cache: dict | None = None) -> list[dict]:
    """The entries a completion earns under the rules in force on its day, as field dicts."""
    on = _learned_on(completion.completed_at)
    kind, code = offering_code(completion.offering_iri) or (completion.kind, "")
    declared = Decimal(str(completion.credits or 0))
    hours = int(completion.class_hours or 0)
    cache = {} if cache is None else cache
    book = cache.get("book")
    lookup = (kind, completion.institution_id, code, declared, hours, on)
    if lookup not in cache:
        if kind == "package":
            credits, note = rules.package_credits(code=code, declared=declared, on=on, book=book)
            cache[lookup] = (credits, note, [])
        else:
            credits, note = rules.course_credits(institution_id=completion.institution_id, course_code=code,
                                                 declared=declared, class_hours=hours, on=on, book=book)
            cache[lookup] = (credits, note, rules.recognitions(
                institution_id=completion.institution_id, course_code=code, on=on, book=book))
    credits, note, recognitions = cache[lookup]
    evidence = {
        "completion_id": str(completion.id),
        "statement_ids": [str(s) for s in (completion.statement_ids or ())],
        "rule": note,
    }
    common = {"occurred_at": completion.completed_at, "class_hours": hours}
    entries = [dict(
        key=f"completion:{completion.id}", kind=EntryKind.EARNED,
        source=Source.PACKAGE if kind == "package" else Source.COURSE, credits=credits,
        offering_iri=completion.offering_iri, title=completion.title[:255],
        institution_id=completion.institution_id, evidence=evidence, **common,
    )]
    for rule in recognitions:
        entries.append(dict(
            key=f"completion:{completion.id}:recognition:{rule.pk}", kind=EntryKind.CONVERTED, source=Source.COURSE,
            credits=(credits * rule.ratio).quantize(TWO_PLACES), is_transfer=True,
            offering_iri=activity_iri("course", rule.to_course_code), title=rule.to_course_title[:255],
            institution_id=rule.to_institution_id,
            evidence={**evidence, "rule": f"recognition:{rule.pk}", "ratio": str(rule.ratio),
                      "recognised_from": completion.offering_iri},
            **common,
        ))
    return entries


@transaction.atomic
def credit_completion(completion) -> list[LedgerEntry]:
    """Credit a completed course or package (and its mutual recognitions); idempotent."""
    account = account_for(completion.learner_id)
    return [_append(account=account, **fields)[0] for fields in _completion_entries(completion)]


def credit_completions(completions, *, batch_size: int = 2000) -> int:
    """Bulk form of ``credit_completion`` for rebuilding the ledger from completions; returns how many
    entries were written. The rules are read once (``rules.RuleBook``); entries already present are
    skipped, so a rebuild can run again safely."""
    written, cache, batch = 0, {"book": rules.RuleBook()}, []
    for completion in completions:
        batch.append(completion)
        if len(batch) >= batch_size:
            written += _credit_batch(batch, cache)
            batch = []
    if batch:
        written += _credit_batch(batch, cache)
    return written


@transaction.atomic
def _credit_batch(completions, cache) -> int:
    learner_ids = {c.learner_id for c in completions}
    accounts = dict(CreditAccount.objects.filter(learner_id__in=learner_ids).values_list("learner_id", "id"))
    missing = learner_ids - accounts.keys()
    if missing:
        CreditAccount.objects.bulk_create([CreditAccount(learner_id=i) for i in missing], ignore_conflicts=True)
        accounts = dict(CreditAccount.objects.filter(learner_id__in=learner_ids).values_list("learner_id", "id"))
    planned = [(c.learner_id, fields) for c in completions for fields in _completion_entries(c, cache)]
    present = set(LedgerEntry.objects.filter(
        idempotency_key__in=[fields["key"] for _, fields in planned]
    ).values_list("idempotency_key", flat=True))
    new = [
        LedgerEntry(account_id=accounts[learner_id], idempotency_key=fields.pop("key"), **fields)
        for learner_id, fields in planned if fields["key"] not in present
    ]
    LedgerEntry.objects.bulk_create(new, ignore_conflicts=True)
    if new and feed.active_connectors():
        keys = [entry.idempotency_key for entry in new]
        feed.enqueue_entries(list(LedgerEntry.objects.filter(idempotency_key__in=keys).values_list("id", flat=True)))
    return len(new)


def _reverse_all(entries, *, reason: str) -> list[LedgerEntry]:
    reversals = []
    for entry in entries:
        reversal, _created = _append(
            account=entry.account, key=f"reversal:{entry.pk}", kind=EntryKind.REVERSED, source=entry.source,
            credits=-entry.credits, is_transfer=entry.is_transfer, offering_iri=entry.offering_iri,
            title=entry.title, institution_id=entry.institution_id, class_hours=entry.class_hours,
            evidence={**entry.evidence, "reason": reason, "reverses": entry.idempotency_key},
            reverses=entry, occurred_at=timezone.now(),
        )
        reversals.append(reversal)
    return reversals


def _unreversed(prefix: str):
    return LedgerEntry.objects.select_related("account").filter(
        Q(idempotency_key=prefix) | Q(idempotency_key__startswith=f"{prefix}:"),
        reversal__isnull=True,
    ).exclude(kind=EntryKind.REVERSED)


@transaction.atomic
def reverse_completion(completion, *, reason: str = "completion revoked") -> list[LedgerEntry]:
    """Write reversing entries for everything a completion earned (a voided statement undid it)."""
    return _reverse_all(_unreversed(f"completion:{completion.id}"), reason=reason)


@transaction.atomic
def credit_certificate(certificate) -> list[LedgerEntry]:
    """Credit the 1+X certificate a training package awards (by level) and the exemptions it grants.

    A course's own certificate only *prepares* for the 1+X certificates it names, so it earns nothing
    here (its credit came with the completion)."""
    if (offering_code(certificate.offering_iri) or ("", ""))[0] != "package":
        return []
    account = account_for(certificate.learner_id)
    on = _learned_on(certificate.issued_at)
    written = []
    for code in certificate.skill_certificate_codes or ():
        evidence = {"certificate_number": certificate.number, "completion_id": str(certificate.completion_id or ""),
                    "certificate_code": code}
        rule = rules.certificate_rule(code=code, on=on)
        if rule:
            written.append(_append(
                account=account, key=f"certificate:{certificate.number}:{code}", kind=EntryKind.EARNED,
                source=Source.CERTIFICATE, credits=rule.credits, offering_iri=certificate.offering_iri,
                title=_("1+X certificate %(code)s (%(level)s)") % {"code": code, "level": rule.get_level_display()},
                institution_id=certificate.institution_id, occurred_at=certificate.issued_at,
                evidence={**evidence, "rule": f"certificate:{rule.pk}", "level": rule.level},
            )[0])
        for exemption in rules.exemptions(certificate_code=code, on=on):
            written.append(_append(
                account=account, key=f"certificate:{certificate.number}:exemption:{exemption.pk}",
                kind=EntryKind.EXEMPTED, source=Source.CERTIFICATE, credits=exemption.credits, is_transfer=True,
                offering_iri=activity_iri("course", exemption.course_code),
                title=_("Exempted from %(units)s of %(course)s") % {
                    "units": "、".join(exemption.unit_list), "course": exemption.course_title},
                institution_id=exemption.institution_id, occurred_at=certificate.issued_at,
                evidence={**evidence, "rule": f"exemption:{exemption.pk}", "units": exemption.unit_list},
            )[0])
    return written


@transaction.atomic
def reverse_certificate(certificate, *, reason: str = "certificate revoked") -> list[LedgerEntry]:
    return _reverse_all(_unreversed(f"certificate:{certificate.number}"), reason=reason)


# --- reading ------------------------------------------------------------------------------------------

def entries_for(learner_id: int):
    """The learner's ledger, oldest first, with institutions loaded."""
    return LedgerEntry.objects.filter(account__learner_id=learner_id).select_related("institution", "reverses")


def iter_entries(chunk: int = 2000) -> Iterator[LedgerEntryRecord]:
    """Every ledger entry as other apps see it, oldest first, streamed (for rebuilding the dashboards)."""
    rows = LedgerEntry.objects.select_related("account").order_by("pk")
    for entry in rows.iterator(chunk_size=chunk):
        yield LedgerEntryRecord(
            id=entry.pk, learner_id=entry.account.learner_id, kind=entry.kind, offering_iri=entry.offering_iri,
            credits=entry.credits, is_transfer=entry.is_transfer, recorded_at=entry.recorded_at,
        )


def balance(learner_id: int) -> Decimal:
    total = entries_for(learner_id).filter(is_transfer=False).aggregate(total=Sum("credits"))["total"]
    return (total or Decimal(0)).quantize(TWO_PLACES)


def account_summary(learner_id: int) -> AccountSummary:
    """Credit by source, institution and year; a fixed number of queries however long the ledger."""
    account = account_for(learner_id)
    entries = LedgerEntry.objects.filter(account=account)
    counted = entries.filter(is_transfer=False)
    totals = counted.aggregate(total=Sum("credits"), n=Count("id"))
    sources = dict(Source.choices)
    by_source = [
        Subtotal(row["source"], str(sources.get(row["source"], row["source"])), row["credits"])
        for row in counted.values("source").annotate(credits=Sum("credits")).order_by("source")
    ]
    by_institution = [
        Subtotal(str(row["institution_id"] or ""), row["institution__name"] or _("Outside any institution"),
                 row["credits"])
        for row in entries.values("institution_id", "institution__name").annotate(credits=Sum("credits"))
        .order_by("institution__name")
    ]
    tz = timezone.get_current_timezone()
    by_year = [
        Subtotal(str(row["year"]), str(row["year"]), row["credits"])
        for row in counted.annotate(year=ExtractYear("occurred_at", tzinfo=tz)).values("year")
        .annotate(credits=Sum("credits")).order_by("year")
    ]
    return AccountSummary(
        account_number=account.number, learner_id=learner_id,
        total=(totals["total"] or Decimal(0)).quantize(TWO_PLACES), entry_count=entries.count(),
        by_source=by_source, by_institution=by_institution, by_year=by_year,
    )


def learner(learner_id: int):
    return get_user_model().objects.select_related("profile").filter(pk=learner_id).first()


def request_for(request_id: int) -> RecognitionRequest | None:
    return RecognitionRequest.objects.select_related("learner", "institution").filter(pk=request_id).first()

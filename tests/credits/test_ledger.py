"""Completions and certificates become ledger entries exactly once; reversals; derived balances."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from lms.credits import api
from lms.credits.models import (
    CertificateCreditRule,
    CourseCreditRule,
    ExemptionRule,
    LedgerEntry,
    MutualRecognitionRule,
)

from .conftest import certificate, completion

pytestmark = pytest.mark.django_db


def test_a_completion_earns_its_declared_credits_once(learner, institution):
    record = completion(learner, institution, credits=Decimal("2.5"))
    first = api.credit_completion(record)
    again = api.credit_completion(record)
    assert [e.pk for e in first] == [e.pk for e in again]
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.source, entry.credits) == ("earned", "course", Decimal("2.50"))
    assert entry.evidence["completion_id"] == record.id
    assert entry.evidence["statement_ids"] == list(record.statement_ids)
    assert api.balance(learner.pk) == Decimal("2.50")


def test_class_hours_rule_converts_at_the_configured_hours_per_credit(learner, institution):
    CourseCreditRule.objects.create(institution=institution, basis="hours", hours_per_credit=18,
                                    valid_from=date(2026, 1, 1))
    [entry] = api.credit_completion(completion(learner, institution, credits=Decimal("9"), class_hours=45))
    assert entry.credits == Decimal("2.50")  # 45 h / 18 = 2.5
    assert entry.evidence["rule"].startswith("hours:45/18")


def test_the_rule_in_force_on_the_day_of_completion_applies(learner, institution):
    CourseCreditRule.objects.create(institution=institution, basis="hours", hours_per_credit=16,
                                    valid_from=date(2026, 1, 1), valid_until=date(2026, 3, 31))
    before = api.credit_completion(completion(learner, institution, class_hours=32,
                                              when=completion(learner, None).completed_at.replace(month=2)))[0]
    after = api.credit_completion(completion(learner, institution, class_hours=32, credits=Decimal("3")))[0]
    assert (before.credits, after.credits) == (Decimal("2.00"), Decimal("3.00"))


def test_mutual_recognition_converts_at_the_ratio_without_adding_to_the_total(learner, institution, other_institution):
    MutualRecognitionRule.objects.create(
        from_institution=institution, from_course_code="C-A1", to_institution=other_institution,
        to_course_code="C-B7", to_course_title="牛羊养殖", ratio=Decimal("0.80"), valid_from=date(2026, 1, 1))
    entries = api.credit_completion(completion(learner, institution, code="C-A1", credits=Decimal("2")))
    converted = entries[1]
    assert (converted.kind, converted.credits, converted.institution_id) == (
        "converted", Decimal("1.60"), other_institution.pk)
    assert converted.offering_iri.endswith("/course/C-B7")
    summary = api.account_summary(learner.pk)
    assert summary.total == Decimal("2.00")
    assert {s.label: s.credits for s in summary.by_institution} == {
        institution.name: Decimal("2.00"), other_institution.name: Decimal("1.60")}


def test_package_credits_follow_the_package_rule(learner, institution):
    CertificateCreditRule.objects.create(kind="package", code="P9", level="junior", credits=Decimal("4"),
                                         valid_from=date(2026, 1, 1))
    [entry] = api.credit_completion(completion(learner, institution, kind="package", code="P9"))
    assert (entry.source, entry.credits) == ("package", Decimal("4.00"))


def test_a_package_certificate_earns_1x_credit_by_level_and_its_exemptions(learner, institution):
    CertificateCreditRule.objects.create(kind="certificate", code="elderly-care-junior", skill_field="老年照护",
                                         level="junior", credits=Decimal("3"), valid_from=date(2026, 1, 1))
    ExemptionRule.objects.create(certificate_code="elderly-care-junior", level="junior", institution=institution,
                                 course_code="C-NURSE", course_title="护理基础", units="第一单元\n第二单元",
                                 credits=Decimal("1"), valid_from=date(2026, 1, 1))
    cert = certificate(learner, institution)
    earned, exempted = api.credit_certificate(cert)
    assert api.credit_certificate(cert) == [earned, exempted]
    assert (earned.kind, earned.credits, earned.evidence["certificate_number"]) == ("earned", 3, cert.number)
    assert (exempted.kind, exempted.is_transfer) == ("exempted", True)
    assert exempted.evidence["units"] == ["第一单元", "第二单元"]
    assert api.balance(learner.pk) == Decimal("3.00")


def test_a_course_certificate_only_prepares_for_1x_and_earns_nothing_more(learner, institution):
    cert = certificate(learner, institution)
    course_cert = type(cert)(**{**cert.__dict__, "offering_iri": cert.offering_iri.replace("/package/", "/course/")})
    assert api.credit_certificate(course_cert) == []


def test_revocation_writes_reversing_entries_once(learner, institution, other_institution):
    MutualRecognitionRule.objects.create(
        from_institution=institution, from_course_code="C-R", to_institution=other_institution,
        to_course_code="C-S", to_course_title="x", ratio=Decimal("1"), valid_from=date(2026, 1, 1))
    record = completion(learner, institution, code="C-R")
    api.credit_completion(record)
    reversals = api.reverse_completion(record)
    assert api.reverse_completion(record) == []
    assert {(r.kind, r.credits) for r in reversals} == {("reversed", Decimal("-2.00"))}
    assert len(reversals) == 2 and all(r.reverses_id for r in reversals)
    assert api.balance(learner.pk) == 0
    assert api.account_summary(learner.pk).by_institution[0].credits == 0


def test_a_completion_recorded_again_after_revocation_earns_again(learner, institution):
    first = completion(learner, institution, code="C-AGAIN")
    api.credit_completion(first)
    api.reverse_completion(first)
    api.credit_completion(completion(learner, institution, code="C-AGAIN"))
    assert api.balance(learner.pk) == Decimal("2.00")


@pytest.mark.parametrize("statement", [
    "UPDATE credits_ledgerentry SET credits = 99",
    "DELETE FROM credits_ledgerentry",
])
def test_the_database_refuses_to_change_or_remove_entries(learner, institution, statement):
    api.credit_completion(completion(learner, institution))
    with pytest.raises((IntegrityError, DatabaseError), match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert LedgerEntry.objects.get().credits == Decimal("2.00")


def test_the_orm_cannot_change_an_entry_either(learner, institution):
    [entry] = api.credit_completion(completion(learner, institution))
    entry.credits = Decimal("50")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        entry.save()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        LedgerEntry.objects.all().delete()


def test_a_positive_entry_cannot_carry_negative_credit(learner):
    account = api.account_for(learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(account=account, kind="earned", source="course", credits=Decimal("-1"),
                                   title="x", idempotency_key="neg", occurred_at=completion(learner, None).completed_at)


def test_bulk_crediting_matches_one_by_one_and_is_rerunnable(learner, institution, other_institution):
    MutualRecognitionRule.objects.create(
        from_institution=institution, from_course_code="C-BULK", to_institution=other_institution,
        to_course_code="C-T", to_course_title="x", ratio=Decimal("0.5"), valid_from=date(2026, 1, 1))
    records = [completion(learner, institution, code="C-BULK" if i % 2 else None) for i in range(10)]
    api.credit_completion(records[0])
    assert api.credit_completions(records, batch_size=3) == 14  # 10 earned + 5 converted, 1 already there
    assert api.credit_completions(records) == 0
    assert LedgerEntry.objects.count() == 15
    assert api.balance(learner.pk) == Decimal("20.00")

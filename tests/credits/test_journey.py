"""Through the real journey: completion and certificate signals, and an xAPI statement that completes a
course, which must be in the ledger within one second."""
import time
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from lms.accounts.api import xapi_agent
from lms.credits import api
from lms.credits.iri import activity_iri
from lms.credits.models import LedgerEntry

pytestmark = pytest.mark.django_db
completion_signals = pytest.importorskip("lms.completion.signals")
completion_data = pytest.importorskip("lms.completion.data")


def _record(learner, institution, **fields):
    values = dict(
        id=987, learner_id=learner.pk, offering_iri=activity_iri("course", "C-SIG"), kind="course", title="果树栽培",
        institution_id=institution.pk, completed_at=datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
        credits=Decimal("2"), class_hours=32, skill_certificate_codes=(), statement_ids=("s-1",),
    )
    values.update(fields)
    return completion_data.CompletionRecord(**values)


def test_the_completion_signals_credit_and_reverse(learner, institution):
    record = _record(learner, institution)
    completion_signals.completion_recorded.send(sender=None, completion=record)
    completion_signals.completion_recorded.send(sender=None, completion=record)
    assert LedgerEntry.objects.filter(kind="earned").count() == 1
    completion_signals.completion_revoked.send(sender=None, completion=record)
    assert api.balance(learner.pk) == 0


def test_the_certificate_signals_credit_and_reverse(learner, institution):
    from datetime import date

    from lms.credits.models import CertificateCreditRule

    certificate_signals = pytest.importorskip("lms.certificates.signals")
    certificate_data = pytest.importorskip("lms.certificates.data")
    CertificateCreditRule.objects.create(kind="certificate", code="cattle-junior", level="junior", credits=2,
                                         valid_from=date(2026, 1, 1))
    fields = {f: None for f in certificate_data.CertificateRecord.__dataclass_fields__}
    fields.update(number="GS-2026-000001", learner_id=learner.pk, offering_iri=activity_iri("package", "P-1"),
                  institution_id=institution.pk, issued_at=datetime(2026, 5, 2, tzinfo=ZoneInfo("Asia/Shanghai")),
                  skill_certificate_codes=("cattle-junior",), completion_id=1)
    certificate = certificate_data.CertificateRecord(**fields)
    certificate_signals.certificate_issued.send(sender=None, certificate=certificate)
    assert api.balance(learner.pk) == Decimal("2.00")
    certificate_signals.certificate_revoked.send(sender=None, certificate=certificate)
    assert api.balance(learner.pk) == 0


def test_a_statement_that_completes_a_course_is_in_the_ledger_within_a_second(
        learner, institution, django_capture_on_commit_callbacks, monkeypatch):
    xapi = pytest.importorskip("lms.xapi.api")
    completion_api = pytest.importorskip("lms.completion.api")
    course_iri = xapi.activity_iri("course", "C-E2E")
    lesson_iri = xapi.activity_iri("course", "C-E2E", "lesson", "1")
    completion_api.publish_outline(completion_data.Outline(
        offering_iri=course_iri, kind="course", title="马铃薯种植", institution_id=institution.pk,
        credits=Decimal("1.5"), class_hours=24,
        items=(completion_data.OutlineItem(iri=lesson_iri, kind="lesson", title="第一课"),),
        rules=completion_data.CompletionRules(require_lessons=True, require_activities=False,
                                              require_quiz_pass=False, require_attendance=False),
    ))
    statement = {
        "actor": xapi_agent(learner), "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"objectType": "Activity", "id": lesson_iri}, "result": {"completion": True},
    }
    ours = []
    credit_completion = api.credit_completion

    def timed(completion):  # the credit bank's own share of the lag
        started = time.monotonic()
        try:
            return credit_completion(completion)
        finally:
            ours.append(time.monotonic() - started)

    monkeypatch.setattr(api, "credit_completion", timed)
    with django_capture_on_commit_callbacks(execute=True):
        [statement_id] = xapi.record([statement])
    entry = LedgerEntry.objects.get(offering_iri=course_iri)
    assert entry.credits == Decimal("1.50") and statement_id in entry.evidence["statement_ids"]
    stored = next(s["stored"] for s in xapi.iter_statements() if s["id"] == statement_id)
    lag = (entry.recorded_at - datetime.fromisoformat(stored.replace("Z", "+00:00"))).total_seconds()
    print(f"statement stored -> ledger entry: {lag:.3f}s, of which crediting {ours[0]:.3f}s")
    assert 0 <= lag < 1.0, f"{lag:.2f}s from the statement being stored to its credit (crediting {ours[0]:.3f}s)"

"""A completion issues one numbered certificate (PDF with Chinese text and a QR code); signals per contract 6."""
import re
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections
from django.utils import timezone

from lms.certificates import api as certificates
from lms.certificates.models import Certificate
from lms.certificates.pdf import qr_png, render
from lms.certificates.signals import certificate_issued, certificate_revoked
from lms.completion import api as completion
from lms.completion.data import CompletionRecord, CompletionRules, ItemKind, Outline, OutlineItem
from tests import factories

from ..progress.helpers import Signals, committed, learner, record, statement, void

COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/CERT1"
VIDEO = COURSE + "/lesson/1/v"


def publish(institution_id):
    with committed():
        completion.publish_outline(Outline(
            offering_iri=COURSE, kind="course", title="陇绣针法基础", institution_id=institution_id,
            credits=Decimal("2"), skill_certificate_codes=("EMB-1",), rules=CompletionRules(require_attendance=False),
            items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))


@pytest.mark.django_db
def test_completion_issues_a_numbered_certificate_and_voiding_revokes_it():
    inst = factories.institution(name="临夏现代职业学院")
    publish(inst.pk)
    user = learner("马兰花")
    done = statement(user, VIDEO, "completed", result={"completion": True})
    with Signals(certificate_issued, "certificate") as issued, Signals(certificate_revoked, "certificate") as revoked:
        record(done)
        assert len(issued.sent) == 1
        cert = issued.sent[0]
        year = timezone.localtime().year
        assert re.fullmatch(rf"GS-{year}-\d{{6}}", cert.number)
        assert cert.learner_id == user.pk and cert.institution_id == inst.pk
        assert cert.skill_certificate_codes == ("EMB-1",)
        stored = certificates.get(cert.number)
        assert stored.learner_name == "马兰花" and stored.institution_name == "临夏现代职业学院"
        record(void(done["id"], user))
        assert [c.number for c in revoked.sent] == [cert.number]
        assert not certificates.get(cert.number).is_valid
        record(statement(user, VIDEO, "completed", result={"completion": True}))
        assert certificates.get(cert.number).is_valid  # earned again: the same certificate stands again
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_numbers_are_consecutive_and_issuing_twice_returns_the_same():
    user = learner()
    records = [CompletionRecord(id=100 + i, learner_id=user.pk, offering_iri=COURSE, kind="course", title="课",
                                institution_id=None, completed_at=timezone.now(), credits=Decimal(0), class_hours=0,
                                skill_certificate_codes=(), statement_ids=()) for i in range(2)]
    first, second = (certificates.issue(completion=r) for r in records)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    assert certificates.issue(completion=records[0]) == first
    assert Certificate.objects.count() == 2


@pytest.mark.django_db
def test_pdf_has_chinese_font_and_qr_code():
    user = learner("马兰花")
    rec = CompletionRecord(id=7, learner_id=user.pk, offering_iri=COURSE, kind="package", title="陇原巧手刺绣",
                           institution_id=None, completed_at=timezone.now(), credits=Decimal(0), class_hours=0,
                           skill_certificate_codes=("EMB-1",), statement_ids=())
    cert = certificates.get(certificates.issue(completion=rec).number)
    pdf = render(cert, verify_url=f"https://skills.example.cn/certificates/verify/{cert.number}/")
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf and b"/Image" in pdf
    assert qr_png("https://x").startswith(b"\x89PNG")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_double_clicks_issue_one_certificate():
    user = learner()
    rec = CompletionRecord(id=555, learner_id=user.pk, offering_iri=COURSE, kind="course", title="课",
                           institution_id=None, completed_at=timezone.now(), credits=Decimal(0), class_hours=0,
                           skill_certificate_codes=(), statement_ids=())
    barrier, numbers, errors = threading.Barrier(6), [], []

    def click():
        try:
            barrier.wait()
            numbers.append(certificates.issue(completion=rec).number)
        except Exception as error:  # pragma: no cover
            errors.append(error)
        finally:
            close_old_connections()

    with Signals(certificate_issued, "certificate") as issued:
        threads = [threading.Thread(target=click) for _ in range(6)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    assert errors == [] and len(set(numbers)) == 1
    assert Certificate.objects.filter(completion_id=555).count() == 1 and len(issued.sent) == 1

"""Public verification (valid/revoked, no personal data beyond name and course), downloads only for the
learner, revocation only by the issuing institution's administrators."""
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.accounts import api as accounts
from lms.certificates import api as certificates
from lms.completion.data import CompletionRecord
from tests import factories

from ..progress.helpers import committed, learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    factories.site_root()
    inst = factories.institution(name="甘肃畜牧工程职业技术学院")
    user = learner("马兰花", mobile="13800001111")
    rec = CompletionRecord(id=1, learner_id=user.pk, offering_iri="https://x/course/A", kind="course",
                           title="肉牛养殖技术", institution_id=inst.pk, completed_at=timezone.now(),
                           credits=Decimal(1), class_hours=16, skill_certificate_codes=(), statement_ids=())
    return certificates.get(certificates.issue(completion=rec).number), user, inst


def admin_of(inst):
    return accounts.create_person(username=f"admin-{inst.pk}", password="x-Pass-2026!", real_name="管理员",
                                  role=accounts.Role.INSTITUTION_ADMIN, institution=inst)


def test_verification_page_is_public_and_minimal(client, issued):
    cert, user, _inst = issued
    response = client.get(f"/certificates/verify/{cert.number}/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-status="valid"' in html
    for shown in ("马兰花", "肉牛养殖技术", "甘肃畜牧工程职业技术学院", cert.number):
        assert shown in html
    assert "13800001111" not in html and user.username not in html
    missing = client.get("/certificates/verify/GS-2026-999999/")
    assert missing.status_code == 404 and "GS-2026-999999" in missing.content.decode()


def test_only_the_learner_downloads_the_pdf(client, issued):
    cert, user, _inst = issued
    assert client.get(f"/certificates/{cert.number}/pdf/").status_code == 302  # to the login page
    client.force_login(learner())
    assert client.get(f"/certificates/{cert.number}/pdf/").status_code == 404
    client.force_login(user)
    response = client.get(f"/certificates/{cert.number}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert cert.number in client.get("/certificates/").content.decode()


def test_revocation_by_the_issuing_institution_only(client, issued):
    cert, user, inst = issued
    other = factories.institution()
    client.force_login(admin_of(other))
    response = client.post(f"/certificates/{cert.number}/revoke/", {"reason": "造假"})
    assert response.status_code == 403 and certificates.get(cert.number).is_valid
    client.force_login(user)
    assert client.post(f"/certificates/{cert.number}/revoke/", {"reason": "x"}).status_code == 403
    client.force_login(admin_of(inst))
    empty = client.post(f"/certificates/{cert.number}/revoke/", {"reason": "  "})
    assert empty.status_code == 400 and certificates.get(cert.number).is_valid
    assert client.post(f"/certificates/{cert.number}/revoke/", {"reason": "x" * 501}).status_code == 400
    with committed():
        ok = client.post(f"/certificates/{cert.number}/revoke/", {"reason": "考核材料不实"})
    assert ok.status_code == 302
    again = client.post(f"/certificates/{cert.number}/revoke/", {"reason": "again"})
    assert again.status_code == 409
    page = client.get(f"/certificates/verify/{cert.number}/").content.decode()
    assert 'data-status="revoked"' in page and "考核材料不实" not in page

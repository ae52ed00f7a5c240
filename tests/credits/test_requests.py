"""Recognition requests over HTTP: learners upload evidence; officers decide only at their institution."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.credits import api
from lms.credits.models import LedgerEntry, RecognitionRequest

from .conftest import officer, person

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _submit(client, learner, institution, **overrides):
    client.force_login(learner)
    data = {"institution": institution.pk, "kind": "outside_certificate", "title": "电工（中级）证书",
            "description": "2024年取得", "certificate_number": "DG-2024-001", "requested_credits": "3",
            "evidence": SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")}
    data.update(overrides)
    return client.post("/credits/requests/", data)


def test_a_learner_submits_a_request_with_evidence(client, settings, learner, institution):
    response = _submit(client, learner, institution)
    assert response.status_code == 302
    item = RecognitionRequest.objects.get()
    assert (item.status, item.requested_credits, item.learner_id) == ("pending", Decimal("3.0"), learner.pk)
    assert item.evidence.name.endswith(".pdf") and "cert" not in item.evidence.name
    assert item.evidence.path.startswith(str(settings.CREDITS_EVIDENCE_ROOT))  # not under MEDIA_ROOT
    assert not item.evidence.path.startswith(str(settings.MEDIA_ROOT))
    page = client.get("/credits/requests/").content.decode()
    assert "电工（中级）证书" in page


@pytest.mark.parametrize("overrides, message", [
    ({"evidence": SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf")}, "Upload the evidence as a PDF"),
    ({"evidence": SimpleUploadedFile("cert.exe", PDF)}, "Upload the evidence as a PDF"),
    ({"requested_credits": "-2"}, "Ask for at least 0.5 credit."),
    ({"requested_credits": "500"}, "At most 60 credits"),
    ({"title": ""}, "This field is required."),
])
def test_malformed_requests_are_refused_with_a_reason(client, learner, institution, overrides, message):
    response = _submit(client, learner, institution, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RecognitionRequest.objects.exists()


def test_a_duplicate_pending_request_is_refused(client, learner, institution):
    _submit(client, learner, institution)
    response = _submit(client, learner, institution)
    assert response.status_code == 400
    assert "already have a pending request" in response.content.decode()
    assert RecognitionRequest.objects.count() == 1


def test_an_officer_approves_a_request_at_their_institution(client, learner, institution):
    _submit(client, learner, institution)
    item = RecognitionRequest.objects.get()
    client.force_login(officer(institution))
    assert "电工（中级）证书" in client.get("/credits/officer/requests/").content.decode()
    evidence = client.get(f"/credits/requests/{item.pk}/evidence")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF
    response = client.post(f"/credits/officer/requests/{item.pk}/",
                           {"decision": "approve", "granted_credits": "2.5", "reason": "证书真实有效"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.granted_credits) == ("approved", Decimal("2.5"))
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.source, entry.credits, entry.institution_id) == (
        "converted", "recognition", Decimal("2.50"), institution.pk)
    assert entry.evidence["certificate_number"] == "DG-2024-001"
    assert api.balance(learner.pk) == Decimal("2.50")
    again = client.post(f"/credits/officer/requests/{item.pk}/", {"decision": "approve", "reason": "再次"})
    assert again.status_code == 409 and "already" in again.content.decode()
    assert LedgerEntry.objects.count() == 1


def test_an_officer_of_institution_a_cannot_approve_at_institution_b(client, learner, institution, other_institution):
    _submit(client, learner, other_institution)
    item = RecognitionRequest.objects.get()
    client.force_login(officer(institution))
    assert "电工" not in client.get("/credits/officer/requests/").content.decode()
    response = client.post(f"/credits/officer/requests/{item.pk}/", {"decision": "approve", "reason": "ok"})
    assert response.status_code == 403
    assert client.get(f"/credits/requests/{item.pk}/evidence").status_code == 404
    item.refresh_from_db()
    assert item.status == "pending" and not LedgerEntry.objects.exists()
    with pytest.raises(PermissionDenied, match="Only a credit officer of"):
        api.decide_recognition_request(request_id=item.pk, officer=officer(institution), approve=True, reason="x")


def test_a_learner_cannot_decide_their_own_request(client, learner, institution):
    _submit(client, learner, institution)
    item = RecognitionRequest.objects.get()
    response = client.post(f"/credits/officer/requests/{item.pk}/", {"decision": "approve", "reason": "me"})
    assert response.status_code == 403
    assert client.get("/credits/officer/requests/").status_code == 403


def test_rejection_needs_a_reason_and_writes_nothing(client, learner, institution):
    _submit(client, learner, institution)
    item = RecognitionRequest.objects.get()
    client.force_login(officer(institution))
    response = client.post(f"/credits/officer/requests/{item.pk}/", {"decision": "reject", "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(f"/credits/officer/requests/{item.pk}/", {"decision": "reject", "reason": "证书无法核实"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "rejected" and not LedgerEntry.objects.exists()
    client.force_login(item.learner)
    assert "证书无法核实" in client.get("/credits/requests/").content.decode()


def test_another_learner_cannot_download_the_evidence(client, learner, institution):
    _submit(client, learner, institution)
    item = RecognitionRequest.objects.get()
    client.force_login(person(institution=institution))
    assert client.get(f"/credits/requests/{item.pk}/evidence").status_code == 404

"""Accounts and transcripts: who may see them, what they say, and the signed credential's proof."""
import csv
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.accounts.api import Role
from lms.credits import api, credential

from .conftest import completion, officer, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def signing_key_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.CREDITS_SIGNING_KEY = ""


def _credited(learner, institution, n=2):
    for i in range(n):
        api.credit_completion(completion(learner, institution, title=f"肉牛养殖技术 {i}", credits=Decimal("2")))


def test_a_learner_sees_their_account(client, learner, institution):
    _credited(learner, institution)
    client.force_login(learner)
    page = client.get("/credits/").content.decode()
    assert "肉牛养殖技术 1" in page and 'data-total>4.00<' in page


@pytest.mark.parametrize("suffix", ["", "transcript.pdf", "transcript.json", "transcript.csv"])
def test_a_learner_cannot_see_another_learners_account(client, learner, institution, suffix):
    _credited(learner, institution)
    client.force_login(person(institution=institution))
    assert client.get(f"/credits/learners/{learner.pk}/{suffix}").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, learner):
    assert client.get(f"/credits/learners/{learner.pk}/").status_code == 302


def test_officials_see_the_accounts_in_their_scope_only(client, learner, institution, other_institution):
    _credited(learner, institution)
    client.force_login(officer(institution))
    assert client.get(f"/credits/learners/{learner.pk}/").status_code == 200
    client.force_login(officer(other_institution))
    assert client.get(f"/credits/learners/{learner.pk}/").status_code == 404
    client.force_login(person(Role.PROVINCE_OFFICIAL))
    assert client.get(f"/credits/learners/{learner.pk}/").status_code == 200
    client.force_login(person(Role.CITY_OFFICIAL, region=institution.region))
    assert client.get(f"/credits/learners/{learner.pk}/").status_code == 200
    client.force_login(person(Role.CITY_OFFICIAL, region=other_institution.region))
    assert client.get(f"/credits/learners/{learner.pk}/").status_code == 404
    client.force_login(person(Role.TEACHER, institution))
    assert client.get(f"/credits/learners/{learner.pk}/").status_code == 404


def test_the_account_page_makes_the_same_queries_however_long_the_ledger(client, learner, institution):
    client.force_login(learner)
    _credited(learner, institution, 2)
    with CaptureQueriesContext(connection) as few:
        client.get("/credits/")
    _credited(learner, institution, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/credits/").status_code == 200
    assert len(many) == len(few)


def test_the_signed_json_transcript_verifies_and_tampering_breaks_it(client, learner, institution):
    _credited(learner, institution)
    client.force_login(learner)
    document = json.loads(client.get(f"/credits/learners/{learner.pk}/transcript.json").content)
    assert "ClrCredential" in document["type"]
    assert document["credentialSubject"]["totalCredits"] == 4
    assert len(document["credentialSubject"]["verifiableCredential"]) == 2
    issuer = json.loads(client.get("/credits/issuer").content)
    public_key = credential.public_key_from_multibase(issuer["verificationMethod"][0]["publicKeyMultibase"])
    assert document["proof"]["verificationMethod"] == issuer["verificationMethod"][0]["id"]
    assert credential.verify(document, public_key)
    document["credentialSubject"]["totalCredits"] = 40
    assert not credential.verify(document, public_key)


def test_the_key_is_generated_once_into_var_and_not_readable_by_others(settings):
    credential._cache.clear()
    first = credential.public_key_multibase()
    credential._cache.clear()
    assert credential.public_key_multibase() == first
    path = settings.VAR_DIR / "keys" / "credits-ed25519.pem"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_pdf_transcript_uses_a_chinese_font(client, learner, institution):
    _credited(learner, institution)
    client.force_login(learner)
    response = client.get(f"/credits/learners/{learner.pk}/transcript.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"STSong-Light" in response.content


def test_the_csv_lists_every_entry_with_its_evidence(client, learner, institution):
    _credited(learner, institution)
    client.force_login(learner)
    response = client.get(f"/credits/learners/{learner.pk}/transcript.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[0]["credits"] == "2.00" and rows[0]["institution_code"] == institution.code
    assert rows[0]["statement_ids"] and rows[0]["idempotency_key"].startswith("completion:")


def test_the_officer_csv_holds_only_their_institutions_learners(client, learner, institution, other_institution):
    _credited(learner, institution)
    stranger = person(institution=other_institution)
    api.credit_completion(completion(stranger, other_institution, title="=HYPERLINK(\"x\")"))
    client.force_login(officer(institution))
    text = b"".join(client.get("/credits/officer/ledger.csv").streaming_content).decode("utf-8-sig")
    assert text.count(f"{institution.code}") == 2 and other_institution.code not in text
    client.force_login(officer(other_institution))
    text = b"".join(client.get("/credits/officer/ledger.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text  # spreadsheet formulas are defused
    client.force_login(learner)
    assert client.get("/credits/officer/ledger.csv").status_code == 403

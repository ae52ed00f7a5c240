"""Builders for credit-bank tests: people, institutions, and records shaped like the journey's
``CompletionRecord`` / ``CertificateRecord`` (the credit bank reads them by attribute only)."""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from lms.accounts.api import Role, create_person
from lms.credits import api
from lms.credits.iri import activity_iri
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


@dataclass(frozen=True)
class Completion:
    id: str
    learner_id: int
    offering_iri: str
    kind: str
    title: str
    institution_id: int | None
    completed_at: datetime
    credits: Decimal = Decimal("2")
    class_hours: int = 32
    skill_certificate_codes: tuple = ()
    statement_ids: tuple = field(default_factory=lambda: (str(uuid.uuid4()),))


@dataclass(frozen=True)
class Certificate:
    number: str
    learner_id: int
    offering_iri: str
    institution_id: int | None
    issued_at: datetime
    skill_certificate_codes: tuple = ()
    completion_id: str = ""


def completion(learner, institution, *, code=None, kind="course", when=None, **fields) -> Completion:
    n = next(_seq)
    code = code or f"C{n:05d}"
    return Completion(
        id=fields.pop("id", f"cmp-{n}-{uuid.uuid4().hex[:6]}"), learner_id=learner.pk,
        offering_iri=activity_iri(kind, code), kind=kind, title=fields.pop("title", f"课程 {code}"),
        institution_id=institution.pk if institution else None,
        completed_at=when or datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), **fields,
    )


def certificate(learner, institution, *, package_code="P001", codes=("elderly-care-junior",), when=None):
    n = next(_seq)
    return Certificate(
        number=f"GS2026{n:06d}", learner_id=learner.pk, offering_iri=activity_iri("package", package_code),
        institution_id=institution.pk, issued_at=when or datetime(2026, 6, 2, 9, 0, tzinfo=SHANGHAI),
        skill_certificate_codes=tuple(codes),
    )


def person(role=Role.LEARNER, institution=None, **kwargs):
    n = next(_seq)
    return create_person(username=f"u{n}-{uuid.uuid4().hex[:6]}", password="pw-Secret-123", real_name=f"学员{n}",
                         role=role, institution=institution, **kwargs)


def officer(institution):
    user = person(Role.INSTITUTION_ADMIN, institution)
    api.add_credit_officer(user)
    return user


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.CREDITS_EVIDENCE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def in_english(client):
    """Messages are asserted in English (zh-Hans is the default; see test_i18n for Chinese)."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def institution(db):
    return factories.institution()


@pytest.fixture
def other_institution(db):
    return factories.institution()


@pytest.fixture
def learner(db, institution):
    return person(institution=institution)

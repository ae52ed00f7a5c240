"""Public interface of certificates: issue, revoke, read, verify, render.

``issue`` is idempotent per completion; it is called from ``lms.completion.signals.completion_recorded``.
Revocation by people is allowed to the issuing institution's administrators only (``can_revoke``).
"""
from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts import api as accounts
from lms.completion.data import CompletionRecord
from lms.institutions.api import Institution

from .data import CertificateRecord
from .models import Certificate, CertificateSequence
from .signals import certificate_issued, certificate_revoked

__all__ = [
    "CertificateError", "can_revoke", "can_download", "certificates_for", "get", "issue", "revoke",
    "revoke_for_completion",
]

MAX_REASON = 500


class CertificateError(ValueError):
    """A refused action, with ``status`` (403, 400, 409) and a message a person can act on."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


def _record(cert: Certificate) -> CertificateRecord:
    return CertificateRecord(
        number=cert.number, learner_id=cert.learner_id, offering_iri=cert.offering_iri,
        institution_id=cert.institution_id, issued_at=cert.issued_at,
        skill_certificate_codes=tuple(cert.skill_certificate_codes), completion_id=cert.completion_id,
    )


def _next_number(year: int) -> str:
    CertificateSequence.objects.get_or_create(year=year)
    sequence = CertificateSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"GS-{year}-{sequence.last:06d}"


def issue(*, completion: CompletionRecord) -> CertificateRecord:
    """The certificate for ``completion``, issued now if it has none (exactly one per completion)."""
    with transaction.atomic():
        existing = Certificate.objects.select_for_update().filter(completion_id=completion.id).first()
        if existing is not None:
            if existing.revoked_with_completion:
                existing.revoked_at, existing.revoked_with_completion, existing.revoke_reason = None, False, ""
                existing.save(update_fields=["revoked_at", "revoked_with_completion", "revoke_reason"])
                record = _record(existing)
                transaction.on_commit(lambda: certificate_issued.send(sender=Certificate, certificate=record))
            return _record(existing)
        learner = get_user_model().objects.select_related("profile").get(pk=completion.learner_id)
        institution = Institution.objects.filter(pk=completion.institution_id).first()
        now = timezone.now()
        try:
            with transaction.atomic():
                cert = Certificate.objects.create(
                    number=_next_number(timezone.localtime(now).year), completion_id=completion.id,
                    learner=learner, learner_name=accounts.xapi_agent(learner)["name"][:150],
                    offering_iri=completion.offering_iri, kind=completion.kind, title=completion.title[:255],
                    institution_id=completion.institution_id,
                    institution_name=institution.name if institution else "",
                    skill_certificate_codes=list(completion.skill_certificate_codes), issued_at=now,
                )
        except IntegrityError:  # a concurrent call issued it first
            return _record(Certificate.objects.get(completion_id=completion.id))
        record = _record(cert)
        transaction.on_commit(lambda: certificate_issued.send(sender=Certificate, certificate=record))
        return record


def can_revoke(user, cert: Certificate) -> bool:
    """Only an administrator of the issuing institution (or a superuser) may revoke."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    institution = accounts.institution_of(user)
    return (
        accounts.role_of(user) == accounts.Role.INSTITUTION_ADMIN
        and institution is not None and institution.pk == cert.institution_id
    )


def can_download(user, cert: Certificate) -> bool:
    return user.is_authenticated and (user.pk == cert.learner_id or can_revoke(user, cert))


def revoke(*, number: str, by, reason: str) -> CertificateRecord:
    """Revoke a certificate for a stated reason. Raises ``CertificateError`` (403/400/409/404)."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking this certificate."))
    if len(reason) > MAX_REASON:
        raise CertificateError(_("The reason may be at most %(n)d characters.") % {"n": MAX_REASON})
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().filter(number=number).first()
        if cert is None:
            raise CertificateError(_("There is no certificate numbered %(number)s.") % {"number": number}, status=404)
        if not can_revoke(by, cert):
            raise CertificateError(
                _("Only an administrator of the issuing institution may revoke this certificate."), status=403
            )
        if cert.revoked_at is not None:
            raise CertificateError(_("This certificate was already revoked."), status=409)
        cert.revoked_at, cert.revoked_by, cert.revoke_reason = timezone.now(), by, reason
        cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        record = _record(cert)
        transaction.on_commit(lambda: certificate_revoked.send(sender=Certificate, certificate=record))
    return record


def revoke_for_completion(*, completion_id: int) -> CertificateRecord | None:
    """The completion behind a certificate was revoked (a voided statement): the certificate follows it."""
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().filter(completion_id=completion_id).first()
        if cert is None or cert.revoked_at is not None:
            return None
        cert.revoked_at, cert.revoked_with_completion = timezone.now(), True
        cert.revoke_reason = _("The completion it certified was withdrawn.")
        cert.save(update_fields=["revoked_at", "revoked_with_completion", "revoke_reason"])
        record = _record(cert)
        transaction.on_commit(lambda: certificate_revoked.send(sender=Certificate, certificate=record))
    return record


def get(number: str) -> Certificate | None:
    return Certificate.objects.filter(number=number).first()


def certificates_for(user_id: int) -> list[Certificate]:
    return list(Certificate.objects.filter(learner_id=user_id).order_by("-issued_at", "-pk"))


def iter_certificates(chunk: int = 2000) -> Iterator[CertificateRecord]:
    """Every valid (not revoked) certificate, streamed (for rebuilding the dashboards' counts)."""
    rows = Certificate.objects.filter(revoked_at__isnull=True).order_by("pk")
    return (_record(row) for row in rows.iterator(chunk_size=chunk))

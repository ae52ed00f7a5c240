"""Recognition requests (prior learning, outside certificates): submit with evidence, then an officer
of the institution asked decides. Approval writes one ``converted`` ledger entry; the request's
status moves once, under a row lock, so two officers clicking at once cannot both decide it."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EntryKind, RecognitionRequest, Source
from .permissions import can_decide

MAX_REQUEST_CREDITS = Decimal("60")


def _credits(value, *, field: str) -> Decimal:
    from .api import CreditError

    try:
        amount = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise CreditError(_("%(field)s must be a number such as 2 or 1.5.") % {"field": field})
    if amount < 0:
        raise CreditError(_("Credit cannot be negative."))
    if amount > MAX_REQUEST_CREDITS:
        raise CreditError(_("At most %(max)s credits can be recognised in one request.") % {"max": MAX_REQUEST_CREDITS})
    return amount


@transaction.atomic
def submit_recognition_request(*, learner, institution, kind: str, title: str, requested_credits,
                               evidence, description: str = "", certificate_number: str = "") -> RecognitionRequest:
    """Record a learner's request; ``evidence`` is an uploaded file already checked by the form."""
    from .api import CreditError

    if kind not in RecognitionRequest.Kind.values:
        raise CreditError(_("Choose what kind of learning you want recognised."))
    if not title.strip():
        raise CreditError(_("Say what you learned or name the certificate."))
    open_duplicate = RecognitionRequest.objects.filter(
        learner=learner, institution=institution, title=title.strip(), status=RecognitionRequest.Status.PENDING
    ).exists()
    if open_duplicate:
        raise CreditError(_("You already have a pending request with this title at this institution."), status=409)
    return RecognitionRequest.objects.create(
        learner=learner, institution=institution, kind=kind, title=title.strip(), description=description.strip(),
        certificate_number=certificate_number.strip(),
        requested_credits=_credits(requested_credits, field=_("Credits requested")), evidence=evidence,
    )


@transaction.atomic
def decide_recognition_request(*, request_id: int, officer, approve: bool, reason: str,
                               granted_credits=None) -> RecognitionRequest:
    """Approve (writing the ledger entry) or reject, with a reason the learner will read."""
    from .api import CreditError, _append, account_for

    request = RecognitionRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise CreditError(_("There is no such recognition request."), status=404)
    if not can_decide(officer, request):
        raise PermissionDenied(_("Only a credit officer of %(institution)s can decide this request.") % {
            "institution": request.institution})
    if request.status != RecognitionRequest.Status.PENDING:
        raise CreditError(_("This request was already %(status)s.") % {"status": request.get_status_display()},
                          status=409)
    if not reason.strip():
        raise CreditError(_("Give a reason: the learner will read it."))
    request.status = RecognitionRequest.Status.APPROVED if approve else RecognitionRequest.Status.REJECTED
    request.reason, request.decided_by, request.decided_at = reason.strip(), officer, timezone.now()
    if approve:
        granted = request.requested_credits if granted_credits in (None, "") else _credits(
            granted_credits, field=_("Credits granted"))
        request.granted_credits = granted
        _append(
            account=account_for(request.learner_id), key=f"recognition:{request.pk}", kind=EntryKind.CONVERTED,
            source=Source.RECOGNITION, credits=granted, title=request.title, institution_id=request.institution_id,
            occurred_at=request.decided_at,
            evidence={"recognition_request_id": request.pk, "certificate_number": request.certificate_number,
                      "evidence_file": request.evidence.name, "decided_by": officer.pk, "reason": request.reason},
        )
    request.save()
    return request

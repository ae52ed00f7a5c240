"""HTTP views: the learner's account and transcripts, recognition requests, officers' decisions, the
hub's inbox and the issuer key. Every view that returns a learner's data checks
``api.can_view_account`` and answers 404 otherwise, so account ids cannot be probed."""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import api, credential, feed, transcripts
from .forms import DecisionForm, RecognitionRequestForm
from .models import LedgerEntry, RecognitionRequest


def _learner_or_404(request, learner_id: int):
    if not api.can_view_account(request.user, learner_id):
        raise Http404(_("There is no such account."))
    learner = api.learner(learner_id)
    if learner is None:
        raise Http404(_("There is no such account."))
    return learner


@login_required
def my_account(request):
    return learner_account(request, request.user.pk)


@login_required
def learner_account(request, learner_id: int):
    learner = _learner_or_404(request, learner_id)
    return render(request, "credits/account.html", {
        "learner": learner, "summary": api.account_summary(learner_id),
        "entries": api.entries_for(learner_id), "own": learner.pk == request.user.pk,
    })


@login_required
def transcript_pdf(request, learner_id: int):
    _learner_or_404(request, learner_id)
    response = HttpResponse(transcripts.pdf_for(learner_id), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="transcript-{learner_id}.pdf"'
    return response


@login_required
def transcript_json(request, learner_id: int):
    _learner_or_404(request, learner_id)
    response = JsonResponse(transcripts.credential_for(learner_id), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="transcript-{learner_id}.json"'
    return response


def _csv_response(entries, filename: str):
    response = StreamingHttpResponse(transcripts.csv_lines(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def transcript_csv(request, learner_id: int):
    _learner_or_404(request, learner_id)
    return _csv_response(transcripts.ledger_for_csv(LedgerEntry.objects.filter(account__learner_id=learner_id)),
                         f"transcript-{learner_id}.csv")


@login_required
def officer_ledger_csv(request):
    """Every entry of the learners the official may see (their institution, city or the province)."""
    if not (api.is_credit_officer(request.user) or request.user.has_perm("credits.view_ledgerentry")):
        raise PermissionDenied(_("Only credit officers and officials can export the ledger."))
    learners = api.viewable_learners(request.user).values("pk")
    entries = LedgerEntry.objects.filter(account__learner_id__in=learners)
    return _csv_response(transcripts.ledger_for_csv(entries), "credit-ledger.csv")


@login_required
@require_http_methods(["GET", "POST"])
def my_requests(request):
    form = RecognitionRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            api.submit_recognition_request(learner=request.user, **form.cleaned_data)
        except api.CreditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request was sent. A credit officer will decide it."))
            return redirect("credits:requests")
    status = 400 if request.method == "POST" else 200
    requests = RecognitionRequest.objects.filter(learner=request.user).select_related("institution")
    return render(request, "credits/requests.html", {"form": form, "requests": requests}, status=status)


@login_required
def request_evidence(request, request_id: int):
    item = api.request_for(request_id)
    if item is None or not (item.learner_id == request.user.pk or api.can_decide(request.user, item)):
        raise Http404(_("There is no such request."))
    return FileResponse(item.evidence.open("rb"), as_attachment=True, filename=item.evidence.name.rsplit("/", 1)[-1])


@login_required
def officer_requests(request):
    if not api.is_credit_officer(request.user):
        raise PermissionDenied(_("Only credit officers can decide recognition requests."))
    requests = api.decidable_requests(request.user)
    return render(request, "credits/officer_requests.html", {
        "pending": requests.filter(status=RecognitionRequest.Status.PENDING),
        "decided": requests.exclude(status=RecognitionRequest.Status.PENDING)[:50],
    })


@login_required
@require_http_methods(["GET", "POST"])
def officer_decide(request, request_id: int):
    item = api.request_for(request_id)
    if item is None:
        raise Http404(_("There is no such request."))
    if not api.can_decide(request.user, item):
        raise PermissionDenied(_("Only a credit officer of %(institution)s can decide this request.") % {
            "institution": item.institution})
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                api.decide_recognition_request(
                    request_id=item.pk, officer=request.user, approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"], granted_credits=form.cleaned_data["granted_credits"],
                )
            except api.CreditError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(request, _("Decision recorded."))
                return redirect("credits:officer_requests")
    return render(request, "credits/officer_decide.html", {"item": item, "form": form}, status=status)


@csrf_exempt  # machine-to-machine: authenticated by the HMAC signature, not a session
@require_POST
def hub_entries(request):
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return JsonResponse({"error": "Content-Length is not a number."}, status=400)
    if length > feed.MAX_BODY_BYTES:
        return JsonResponse({"error": f"The body is larger than {feed.MAX_BODY_BYTES} bytes."}, status=413)
    try:
        row, created = feed.receive(
            sender=request.headers.get(feed.SENDER_HEADER, ""),
            timestamp=request.headers.get(feed.TIMESTAMP_HEADER, ""),
            signature=request.headers.get(feed.SIGNATURE_HEADER, ""),
            idempotency_key=request.headers.get(feed.IDEMPOTENCY_HEADER, ""), body=request.body,
        )
    except feed.Refused as refused:
        return JsonResponse({"error": str(refused)}, status=refused.status)
    return JsonResponse({"status": "stored" if created else "duplicate", "id": row.pk}, status=201 if created else 200)


@require_GET
def issuer(request):
    """The issuer profile and its public key (Multikey), for verifying signed transcripts."""
    key_id = credential.issuer_id() + "#key-1"
    return HttpResponse(json.dumps({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": credential.issuer_id(),
        "name": _("Skills Gansu credit bank"),
        "url": request.build_absolute_uri(reverse("credits:account")),
        "verificationMethod": [{"id": key_id, "type": "Multikey", "controller": credential.issuer_id(),
                                "publicKeyMultibase": credential.public_key_multibase()}],
        "assertionMethod": [key_id],
    }, ensure_ascii=False), content_type="application/json")

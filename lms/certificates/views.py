"""HTTP for certificates: the public verification page, the learner's list and PDF, revocation."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import api, pdf


def verify(request, number: str):
    """Public: valid or revoked, with only name, course, institution and date (no other personal data)."""
    cert = api.get(number)
    status = 200 if cert else 404
    return render(request, "certificates/verify.html", {"cert": cert, "number": number}, status=status)


@login_required
def mine(request):
    return render(request, "certificates/mine.html", {"certificates": api.certificates_for(request.user.pk)})


@login_required
def download(request, number: str):
    cert = api.get(number)
    if cert is None or not api.can_download(request.user, cert):
        raise Http404(_("No such certificate among yours."))
    verify_url = request.build_absolute_uri(reverse("certificates:verify", args=[cert.number]))
    response = HttpResponse(pdf.render(cert, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, number: str):
    cert = api.get(number)
    if cert is None:
        raise Http404(_("There is no certificate with this number."))
    if not api.can_revoke(request.user, cert):
        return render(request, "certificates/revoke.html", {"cert": cert, "error": _(
            "Only an administrator of the issuing institution may revoke this certificate.")}, status=403)
    if request.method == "POST":
        try:
            api.revoke(number=number, by=request.user, reason=request.POST.get("reason", ""))
        except api.CertificateError as error:
            return render(request, "certificates/revoke.html", {"cert": cert, "error": str(error)},
                          status=error.status)
        return redirect("certificates:verify", number=number)
    return render(request, "certificates/revoke.html", {"cert": cert})

"""Enrolment pages: the enrol action behind the button, "My learning", and cohort upload."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import api
from .cohort_file import CohortFileError, read_identifiers


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                         require_https=request.is_secure())
    return target if ok else fallback


@require_POST
def enrol(request):
    back = _safe_next(request, "/learning/")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    iri = (request.POST.get("iri") or "").strip()
    if not iri or len(iri) > 512:
        return render(request, "enrollment/refused.html", {
            "message": _("The enrol form did not say which course or package."), "back": back}, status=400)
    try:
        record = api.enrol(request.user, iri)
    except api.AlreadyEnrolled as exc:
        # A double click or a second tab: nothing new was made; "My learning" shows the message and the course.
        messages.info(request, str(exc))
        return redirect("enrollment:my_learning")
    except api.EnrolmentRefused as exc:
        return render(request, "enrollment/refused.html", {"message": str(exc), "back": back}, status=exc.status)
    messages.success(request, _("You are enrolled in “%(title)s”.") % {"title": record.title})
    return redirect(back)


@login_required
def my_learning(request):
    return render(request, "enrollment/my_learning.html", {"items": api.learning_items(request.user)})


class CohortForm(forms.Form):
    offering = forms.ChoiceField(label=gettext_lazy("Course or training package"))
    file = forms.FileField(label=gettext_lazy("Learners (.csv or .xlsx: usernames or mobile numbers, one per row)"))

    def __init__(self, *args, offerings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].choices = [(o.iri, f"{o.title} ({o.get_kind_display()})") for o in offerings]


@login_required
@require_http_methods(["GET", "POST"])
def cohort(request):
    offerings = api.offerings_for_cohorts(request.user)
    if not offerings and not api.accounts.scope_for(request.user).is_institution_admin:
        raise PermissionDenied(_("Only an institution administrator can enrol cohorts."))
    form = CohortForm(request.POST or None, request.FILES or None, offerings=offerings)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = api.cohort_enrol(by=request.user, iri=form.cleaned_data["offering"],
                                      identifiers=read_identifiers(form.cleaned_data["file"]))
        except CohortFileError as exc:
            form.add_error("file", str(exc))
        except api.CohortRejected as exc:
            errors = exc.errors
        except api.EnrolmentRefused as exc:
            form.add_error("offering", str(exc))
        else:
            messages.success(request, _("Enrolled %(n)d learners; %(m)d were already enrolled.") % {
                "n": result.enrolled, "m": result.already_enrolled})
            return redirect("enrollment:cohort")
    return render(request, "enrollment/cohort.html", {"form": form, "errors": errors},
                  status=400 if (form.errors or errors) else 200)

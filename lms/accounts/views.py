"""Public account pages: sign up, log in/out (Django's views, throttled by django-axes), profile, and
the institution admin's learner management (password reset, bulk creation from XLSX)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import api, spreadsheets
from .forms import BulkLearnersForm, ProfileForm, ResetPasswordForm, SignUpForm


@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = api.sign_up(identifier=data["identifier"], password=data["password1"], real_name=data["real_name"],
                               region=data["region"], learner_type=data["learner_type"],
                               institution=data["institution"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(name)s! Your account is ready.") % {"name": data["real_name"]})
            return redirect("accounts:profile")
    return render(request, "accounts/sign_up.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"profile": getattr(request.user, "profile", None),
                                                     "scope": api.scope_for(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    current = getattr(request.user, "profile", None)
    form = ProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        api.update_profile(request.user, real_name=data["real_name"], region=data["region"],
                           learner_type=data["learner_type"], institution=data["institution"])
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form}, status=400 if form.errors else 200)


def _institution_admin(request):
    scope = api.scope_for(request.user)
    if not scope.is_institution_admin:
        raise PermissionDenied(_("Only an institution administrator can manage learners."))
    return scope


@login_required
def learners(request):
    scope = _institution_admin(request)
    page = Paginator(api.institution_learners(scope), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/learners.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def reset_password(request, user_id: int):
    _institution_admin(request)
    learner = api.institution_learners(api.scope_for(request.user)).filter(user_id=user_id).first()
    if learner is None:
        raise PermissionDenied(_("You may reset passwords only for learners of your own institution."))
    form = ResetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api.reset_learner_password(by=request.user, learner_id=user_id,
                                       new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            messages.success(request, _("The password of %(name)s has been reset. Tell them the new one in person.")
                             % {"name": learner.real_name})
            return redirect("accounts:learners")
    return render(request, "accounts/reset_password.html", {"form": form, "learner": learner},
                  status=400 if form.errors else 200)


@login_required
def learners_template(request):
    _institution_admin(request)
    response = HttpResponse(
        spreadsheets.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="learners-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_learners(request):
    _institution_admin(request)
    form = BulkLearnersForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = spreadsheets.read_learner_rows(form.cleaned_data["file"])
            created = api.bulk_create_learners(by=request.user, rows=rows)
        except spreadsheets.SpreadsheetError as exc:
            form.add_error("file", str(exc))
        except api.BulkImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Created %(n)d learners.") % {"n": len(created)})
            return redirect("accounts:learners")
    status = 400 if (form.errors or errors) else 200
    return render(request, "accounts/import_learners.html", {"form": form, "errors": errors}, status=status)

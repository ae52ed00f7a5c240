"""Admin and serving glue: private documents need an enrolment.

Registered with a late ``order`` so Wagtail's own collection view restrictions are checked first.
"""
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.utils.translation import gettext as _
from wagtail import hooks

from .access import may_download


@hooks.register("before_serve_document", order=100)
def require_enrolment_for_private_documents(document, request):
    if may_download(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden(_("Only learners enrolled in this course or package may download this file."))

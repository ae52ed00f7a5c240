"""Open (records launched, then redirects to the file) and mark as read (records completed)."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model

from lms.progress.data import Verb
from plugins.builtin import runtime


def _document(activity):
    document = get_document_model().objects.filter(pk=activity.config.get("document")).first()
    if document is None:
        raise Http404("This document is no longer available.")
    return document


@login_required
@runtime.refuses_unenrolled()
def open_document(request, lesson_id: int, activity_id: str):
    activity = runtime.activity_for_request(request, lesson_id, activity_id, plugin_id="document")
    document = _document(activity)
    runtime.record([runtime.statement(request.user, activity, Verb.LAUNCHED)])
    return HttpResponseRedirect(document.url)


@login_required
@require_POST
@runtime.refuses_unenrolled()
def mark_read(request, lesson_id: int, activity_id: str):
    activity = runtime.activity_for_request(request, lesson_id, activity_id, plugin_id="document")
    _document(activity)
    runtime.record([runtime.statement(request.user, activity, Verb.COMPLETED, result={"completion": True})])
    return HttpResponseRedirect(f"{activity.lesson.url}#activity-{activity.activity_id}")

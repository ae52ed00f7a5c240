"""``/documents/<id>/<filename>``: Wagtail's document URL, served by ``media.serving``.

Mounted before Wagtail's own document URLs (same path, same URL name), because Wagtail's view can only
hand back non-streaming responses from its hooks, and ranges need streaming. Every
``before_serve_document`` hook still runs first: Wagtail's collection restrictions, then
``media.wagtail_hooks`` (private files need an enrolment).
"""
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served

from .serving import content_type_of, serve_file


@require_safe
def serve_document(request, document_id: int, document_filename: str):
    Document = get_document_model()
    document = get_object_or_404(Document, id=document_id)
    if document.filename != document_filename:
        raise Http404("This document does not match the given filename.")
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponseBase):
            return result
    document_served.send(sender=Document, instance=document, request=request)
    return serve_file(
        request, document.file, filename=document.filename,
        content_type=content_type_of(document.filename, document.content_type),
        etag=document.file_hash or "", download="download" in request.GET,
    )

"""The document ActivityType. Config: ``{"document": <document id>}``."""
from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from lms.progress import api as progress
from plugins.core.interfaces import ActivityType


class DocumentActivity(ActivityType):
    slug = "document"
    label = _("Document")
    config_help = _('{"document": <document id>}')

    def validate_config(self, config: dict[str, Any]) -> list[str]:
        document = config.get("document")
        if not isinstance(document, int) or not get_document_model().objects.filter(pk=document).exists():
            return [str(_('"document" must be the id of an existing document.'))]
        return []

    def render(self, *, config: dict[str, Any], context: dict[str, Any]) -> str:
        request, page = context.get("request"), context.get("page")
        user = getattr(request, "user", None)
        document = get_document_model().objects.filter(pk=config.get("document")).first()
        state = None
        if user is not None and user.is_authenticated and context.get("activity_iri"):
            state = progress.states_for(user.pk, [context["activity_iri"]]).get(context["activity_iri"])
        args = [page.pk, context.get("activity_id", "")] if page is not None else None
        return render_to_string("document/activity.html", {
            "title": context.get("title"), "document": document, "state": state, "user": user,
            "open_url": reverse("document:open", args=args) if args else "",
            "read_url": reverse("document:read", args=args) if args else "",
        }, request=request)

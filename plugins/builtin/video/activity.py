"""The video ActivityType. Config: ``{"document": <id of an MP4/WebM document>, "duration": <seconds>}``
(``duration`` optional; the browser reports it otherwise) or ``{"src": "https://..."}``."""
from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from plugins.core.interfaces import ActivityType


class VideoActivity(ActivityType):
    slug = "video"
    label = _("Video")
    config_help = _('{"document": <video document id>, "duration": <seconds, optional>} or {"src": "https://..."}')

    def validate_config(self, config: dict[str, Any]) -> list[str]:
        document, src = config.get("document"), config.get("src")
        if document is None and not src:
            return [str(_('Give "document" (a video document id) or "src" (an https address).'))]
        if document is not None and (not isinstance(document, int) or
                                     not get_document_model().objects.filter(pk=document).exists()):
            return [str(_("There is no document with id %(id)s.") % {"id": document})]
        if src and not str(src).startswith("https://"):
            return [str(_('"src" must be an https address.'))]
        duration = config.get("duration")
        if duration is not None and (not isinstance(duration, int | float) or not 0 < duration <= 6 * 3600):
            return [str(_('"duration" must be a number of seconds up to six hours.'))]
        return []

    def render(self, *, config: dict[str, Any], context: dict[str, Any]) -> str:
        from . import api

        request, page = context.get("request"), context.get("page")
        src = config.get("src") or ""
        if config.get("document"):
            document = get_document_model().objects.filter(pk=config["document"]).first()
            src = document.url if document else ""
        user = getattr(request, "user", None)
        position = None
        if user is not None and user.is_authenticated and context.get("activity_iri"):
            position = api.resume_position(user=user, activity_iri=context["activity_iri"])
        report_url = ""
        if page is not None and user is not None and user.is_authenticated:
            report_url = reverse("video:report", args=[page.pk, context.get("activity_id", "")])
        return render_to_string("video/activity.html", {
            "title": context.get("title"), "src": src, "position": position, "report_url": report_url,
            "duration": config.get("duration") or "",
        }, request=request)

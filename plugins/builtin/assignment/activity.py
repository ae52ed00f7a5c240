"""The assignment ActivityType. Config: ``{"instructions": "...", "types": ["pdf", "jpg"], "max_mb": 10,
"pass_mark": 60}``."""
from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plugins.core.interfaces import ActivityType

from .filetypes import KNOWN

HARD_LIMIT_MB = 20


def settings_of(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "instructions": str(config.get("instructions", "")),
        "types": [t for t in config.get("types", ["pdf", "jpg", "png", "docx"]) if t in KNOWN],
        "max_mb": min(HARD_LIMIT_MB, config.get("max_mb", 10)),
        "pass_mark": config.get("pass_mark", 60),
    }


class AssignmentActivity(ActivityType):
    slug = "assignment"
    label = _("Assignment")
    config_help = _('{"instructions": "...", "types": ["pdf", "jpg", "png", "docx"], "max_mb": 10, "pass_mark": 60}')

    def validate_config(self, config: dict[str, Any]) -> list[str]:
        problems = []
        types = config.get("types", ["pdf"])
        if not isinstance(types, list) or not types or any(t not in KNOWN for t in types):
            problems.append(str(_('"types" must list some of: %(known)s.') % {"known": ", ".join(KNOWN)}))
        max_mb = config.get("max_mb", 10)
        if not isinstance(max_mb, int | float) or not 0 < max_mb <= HARD_LIMIT_MB:
            problems.append(str(_('"max_mb" must be more than 0 and at most %(n)d.') % {"n": HARD_LIMIT_MB}))
        pass_mark = config.get("pass_mark", 60)
        if not isinstance(pass_mark, int | float) or not 0 <= pass_mark <= 100:
            problems.append(str(_('"pass_mark" must be from 0 to 100.')))
        return problems

    def render(self, *, config: dict[str, Any], context: dict[str, Any]) -> str:
        from .models import Submission

        request, page = context.get("request"), context.get("page")
        user = getattr(request, "user", None)
        submission = None
        if user is not None and user.is_authenticated and context.get("activity_iri"):
            submission = Submission.objects.filter(learner=user, activity_iri=context["activity_iri"]).first()
        return render_to_string("assignment/activity.html", {
            "title": context.get("title"), "settings": settings_of(config), "submission": submission,
            "user": user, "request": request,
            "submit_url": reverse("assignment:submit", args=[page.pk, context.get("activity_id", "")])
            if page is not None else "",
        }, request=request)

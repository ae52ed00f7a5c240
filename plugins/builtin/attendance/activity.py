"""The attendance ActivityType. Config: ``{"session": "村委会刺绣实训", "place": "临夏县"}`` (both optional)."""
from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.accounts import api as accounts
from lms.progress import api as progress
from plugins.core.interfaces import ActivityType


class AttendanceActivity(ActivityType):
    slug = "attendance"
    label = _("Face-to-face session")
    config_help = _('{"session": "<what the session is>", "place": "<where>"}')

    def validate_config(self, config: dict[str, Any]) -> list[str]:
        if any(not isinstance(config.get(k, ""), str) or len(config.get(k, "")) > 200 for k in ("session", "place")):
            return [str(_('"session" and "place" must be text of at most 200 characters.'))]
        return []

    def render(self, *, config: dict[str, Any], context: dict[str, Any]) -> str:
        request, page = context.get("request"), context.get("page")
        user = getattr(request, "user", None)
        state = None
        if user is not None and user.is_authenticated and context.get("activity_iri"):
            state = progress.states_for(user.pk, [context["activity_iri"]]).get(context["activity_iri"])
        is_trainer = user is not None and user.is_authenticated and (
            user.is_superuser or accounts.role_of(user) in {accounts.Role.TEACHER, accounts.Role.INSTITUTION_ADMIN})
        return render_to_string("attendance/activity.html", {
            "title": context.get("title"), "config": config, "state": state, "is_trainer": is_trainer,
            "sign_off_url": reverse("attendance:sign_off", args=[page.pk, context.get("activity_id", "")])
            if page is not None else "",
        }, request=request)

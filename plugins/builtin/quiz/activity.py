"""The quiz as an ActivityType: the lesson shows the quiz's facts and a start button; the quiz itself
runs on its own page (``views.attempt``) so it works without JavaScript on any phone."""
from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plugins.core.interfaces import ActivityType

LIMITS = {"draw": (1, 100), "attempts": (1, 20), "pass_mark": (0, 100)}
DEFAULTS = {"draw": 5, "attempts": 3, "pass_mark": 60}


def settings_of(config: dict[str, Any]) -> dict[str, int]:
    """The quiz's numbers with defaults filled in (config already validated on save)."""
    values = {key: config.get(key, default) for key, default in DEFAULTS.items()}
    values["bank"] = config.get("bank")
    return values


class QuizActivity(ActivityType):
    slug = "quiz"
    label = _("Quiz")
    config_help = _('{"bank": <question bank id>, "draw": 5, "attempts": 3, "pass_mark": 60}')

    def validate_config(self, config: dict[str, Any]) -> list[str]:
        from .models import QuestionBank

        problems = []
        bank_id = config.get("bank")
        if not isinstance(bank_id, int) or isinstance(bank_id, bool):
            return [str(_('"bank" must be the id of a question bank (a whole number).'))]
        for key, (low, high) in LIMITS.items():
            value = config.get(key, DEFAULTS[key])
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                problems.append(str(_('"%(key)s" must be a whole number from %(low)d to %(high)d.')
                                    % {"key": key, "low": low, "high": high}))
        bank = QuestionBank.objects.filter(pk=bank_id).first()
        if bank is None:
            problems.append(str(_("There is no question bank with id %(id)d.") % {"id": bank_id}))
        elif bank.questions.count() < config.get("draw", DEFAULTS["draw"]):
            problems.append(str(_("The bank has fewer questions than the number to draw.")))
        return problems

    def render(self, *, config: dict[str, Any], context: dict[str, Any]) -> str:
        from . import api

        request, page = context.get("request"), context.get("page")
        values = settings_of(config)
        user = getattr(request, "user", None)
        summary = None
        if user is not None and user.is_authenticated and context.get("activity_iri"):
            summary = api.summary(user=user, activity_iri=context["activity_iri"], limit=values["attempts"])
        start_url = reverse("quiz:start", args=[page.pk, context.get("activity_id", "")]) if page else ""
        return render_to_string("quiz/activity.html", {
            "title": context.get("title"), "quiz": values, "summary": summary, "start_url": start_url,
            "request": request, "user": user,
        }, request=request)

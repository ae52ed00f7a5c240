"""Turn the player's reports into statements. The server, not the browser, decides completion: a video
is completed when the time actually watched (summed from earlier reports) reaches 90% of its length."""
from __future__ import annotations

import math

from django.utils.translation import gettext as _

from courses.sync_outline import LessonActivity
from lms.progress import api as progress
from lms.progress.data import VIDEO_PROGRESS, VIDEO_TIME, Verb
from plugins.builtin import runtime

EVENTS = {"play", "progress", "pause", "ended"}
COMPLETE_AT = 0.9
MAX_REPORT = 3600.0


class ReportRefused(ValueError):
    status = 400


def resume_position(*, user, activity_iri: str) -> float | None:
    state = progress.states_for(user.pk, [activity_iri]).get(activity_iri)
    if state is None or state.position is None or state.completed:
        return None
    return state.position


def _number(data: dict, key: str, high: float) -> float:
    try:
        value = float(data.get(key, 0))
    except (TypeError, ValueError):
        raise ReportRefused(_('"%(key)s" must be a number.') % {"key": key})
    if not math.isfinite(value) or value < 0 or value > high:
        raise ReportRefused(_('"%(key)s" must be between 0 and %(high)d.') % {"key": key, "high": high})
    return value


def report(*, user, activity: LessonActivity, data: dict) -> dict:
    """Record one report from the player; returns what the page shows (percent, completed)."""
    event = data.get("event")
    if event not in EVENTS:
        raise ReportRefused(_('"event" must be one of play, progress, pause, ended.'))
    configured = activity.config.get("duration")
    duration = float(configured) if configured else _number(data, "duration", 6 * 3600)
    if duration <= 0:
        raise ReportRefused(_('"duration" must be more than 0.'))
    position = min(_number(data, "position", 6 * 3600), duration)
    watched = _number(data, "watched", MAX_REPORT)
    state = progress.states_for(user.pk, [activity.iri]).get(activity.iri)
    already = state.completed if state else False
    total = (state.seconds if state else 0.0) + watched
    fraction = min(1.0, total / duration)
    extensions = {VIDEO_TIME: round(position, 2), VIDEO_PROGRESS: round(fraction, 4)}
    if event == "play":
        statements = [runtime.statement(user, activity, Verb.LAUNCHED, result={"extensions": extensions})]
    else:
        statements = [runtime.statement(user, activity, Verb.PROGRESSED, result={
            "duration": runtime.duration(watched), "extensions": extensions})]
        if fraction >= COMPLETE_AT and not already:
            statements.append(runtime.statement(user, activity, Verb.COMPLETED, result={
                "completion": True, "extensions": extensions}))
    runtime.record(statements)
    completed = already or fraction >= COMPLETE_AT
    return {"percent": 100 if completed else int(fraction * 100), "completed": completed}

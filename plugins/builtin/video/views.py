"""The player's report endpoint (JSON in, JSON out; CSRF-protected like every POST)."""
import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plugins.builtin import runtime

from . import api

MAX_BODY = 2048


@login_required
@require_POST
@runtime.refuses_unenrolled(json=True)
def report(request, lesson_id: int, activity_id: str):
    activity = runtime.activity_for_request(request, lesson_id, activity_id, plugin_id="video")
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": _("The report is too large.")}, status=413)
    try:
        data = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse({"error": _("Send the report as a JSON object.")}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": _("Send the report as a JSON object.")}, status=400)
    try:
        return JsonResponse(api.report(user=request.user, activity=activity, data=data))
    except api.ReportRefused as error:
        return JsonResponse({"error": str(error)}, status=400)

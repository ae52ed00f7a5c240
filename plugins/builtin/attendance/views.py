from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from plugins.builtin import runtime

from . import api


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request, lesson_id: int, activity_id: str):
    activity = runtime.activity_for_request(request, lesson_id, activity_id, plugin_id="attendance", learner=False)
    runtime.require_staff_of(request.user, activity)
    context = {"activity": activity}
    if request.method == "POST":
        try:
            context["signed"] = api.sign_off(trainer=request.user, activity=activity,
                                             learners_text=request.POST.get("learners", "")[:20000])
        except api.AttendanceRefused as error:
            context.update(error=str(error), learners=request.POST.get("learners", "")[:20000])
            return render(request, "attendance/sign_off.html", context, status=error.status)
    return render(request, "attendance/sign_off.html", context)

"""HTTP for quizzes: start an attempt, take it, submit it, see the result. Learners only see their own."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.sync_outline import find_activity
from plugins.builtin import runtime

from . import api
from .activity import settings_of
from .models import QuizAttempt


def _refused(request, error: api.QuizRefused, attempt=None):
    return render(request, "quiz/refused.html", {"message": str(error), "attempt": attempt}, status=error.status)


@login_required
@require_POST
@runtime.refuses_unenrolled()
def start(request, lesson_id: int, activity_id: str):
    activity = runtime.activity_for_request(request, lesson_id, activity_id, plugin_id="quiz")
    try:
        attempt = api.start(user=request.user, activity=activity)
    except api.QuizRefused as error:
        return _refused(request, error)
    return HttpResponseRedirect(reverse("quiz:attempt", args=[attempt.pk]))


def _activity_of(attempt: QuizAttempt):
    return find_activity(attempt.lesson_id, attempt.activity_id, activity_type="quiz")


@login_required
@require_http_methods(["GET", "POST"])
@runtime.refuses_unenrolled()
def attempt(request, attempt_id: int):
    row = QuizAttempt.objects.filter(pk=attempt_id).first()
    if row is None or row.learner_id != request.user.pk:
        return _refused(request, api.QuizRefused(_("This attempt belongs to another learner."), status=403)) \
            if row else _refused(request, api.QuizRefused(_("There is no such attempt."), status=404))
    activity = runtime.activity_for_request(request, row.lesson_id, row.activity_id, plugin_id="quiz")
    if request.method == "POST":
        try:
            row = api.submit(user=request.user, attempt_id=row.pk, data=request.POST, activity_for=_activity_of)
        except api.QuizRefused as error:
            return _refused(request, error, attempt=row)
        return HttpResponseRedirect(reverse("quiz:attempt", args=[row.pk]))
    questions = api.questions_of(row)
    values = settings_of(activity.config)
    context = {"attempt": row, "activity": activity, "questions": questions, "quiz": values,
               "lesson_url": activity.lesson.url}
    if row.submitted_at:
        context["results"] = [
            {"question": q, "given": row.answers.get(str(q.pk), []), "right": api.is_correct(q, row.answers.get(
                str(q.pk), []))} for q in questions
        ]
        context["summary"] = api.summary(user=request.user, activity_iri=row.activity_iri, limit=values["attempts"])
        return render(request, "quiz/result.html", context)
    return render(request, "quiz/attempt.html", context)

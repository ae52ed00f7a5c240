"""Learners upload; teachers of the course's institution list, download and score."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from courses.sync_outline import find_activity
from lms.accounts import api as accounts
from plugins.builtin import runtime

from . import api
from .models import Submission


def _activity_of(submission):
    return find_activity(submission.lesson_id, submission.activity_id, activity_type="assignment")


@login_required
@require_POST
@runtime.refuses_unenrolled()
def submit(request, lesson_id: int, activity_id: str):
    activity = runtime.activity_for_request(request, lesson_id, activity_id, plugin_id="assignment")
    try:
        api.submit(user=request.user, activity=activity, upload=request.FILES.get("file"))
    except api.AssignmentRefused as error:
        return render(request, "assignment/refused.html", {"message": str(error), "activity": activity},
                      status=error.status)
    return HttpResponseRedirect(f"{activity.lesson.url}#activity-{activity.activity_id}")


@login_required
def review(request):
    """Unscored and recent submissions on the teacher's institution's lessons."""
    institution = accounts.institution_of(request.user)
    if not request.user.is_superuser and (
        institution is None or accounts.role_of(request.user) not in {accounts.Role.TEACHER,
                                                                      accounts.Role.INSTITUTION_ADMIN}):
        raise PermissionDenied("Only teachers may review assignments.")
    from courses.models import LessonPage

    lessons = LessonPage.objects.all() if request.user.is_superuser else LessonPage.objects.filter(
        institution=institution)
    submissions = (Submission.objects.filter(lesson_id__in=lessons.values("pk"))
                   .select_related("learner", "learner__profile").order_by("scored_at", "-submitted_at")[:200])
    return render(request, "assignment/review.html", {"submissions": submissions})


@login_required
@runtime.refuses_unenrolled()
def download(request, submission_id: int):
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        raise Http404("No such submission.")
    activity = _activity_of(submission)
    if submission.learner_id != request.user.pk:
        runtime.require_staff_of(request.user, activity)
    else:
        runtime.require_enrolled(request.user, activity)
    return FileResponse(submission.file.open("rb"), as_attachment=True, filename=submission.original_name)


@login_required
@require_POST
def score(request, submission_id: int):
    try:
        api.score(teacher=request.user, submission_id=submission_id, score_value=request.POST.get("score"),
                  comment=request.POST.get("comment", ""), activity_for=_activity_of)
    except api.AssignmentRefused as error:
        return render(request, "assignment/refused.html", {"message": str(error)}, status=error.status)
    return HttpResponseRedirect(reverse("assignment:review"))

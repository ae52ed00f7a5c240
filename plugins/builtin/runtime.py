"""What every built-in activity plugin shares: turning a learner's action into an xAPI statement on the
platform IRIs (contract 2) and recording it through the LRS's one write path (contract 1).

Statements carry the lesson as ``context.contextActivities.parent`` and the course as ``grouping``, and
the lesson's URL as the activity's ``moreInfo`` so "My learning" can link back to where the learner was.
"""
from __future__ import annotations

import uuid
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from courses.sync_outline import LessonActivity, find_activity
from lms.accounts import api as accounts
from lms.enrollment import api as enrollment
from lms.xapi import api as xapi
from plugins.core import registry

ACTIVITY_TYPES = {
    "video": "https://w3id.org/xapi/video/activity-type/video",
    "document": "http://id.tincanapi.com/activitytype/document",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "assignment": "http://adlnet.gov/expapi/activities/performance",
    "attendance": "http://adlnet.gov/expapi/activities/meeting",
}
PLATFORM = "技能甘肃"


def activity_for_request(request, lesson_id: int, activity_id: str, *, plugin_id: str,
                         learner: bool = True) -> LessonActivity:
    """Resolve the activity a request names; a disabled plugin's endpoints answer 404.

    With ``learner`` (every learner-facing endpoint) the user must be enrolled in the activity's course
    (or a package holding it), else ``enrollment.NotEnrolled`` is raised before anything is recorded;
    views wrapped in ``refuses_unenrolled`` turn it into a 403 page. Staff endpoints pass ``learner=False``
    and check ``require_staff_of`` instead.
    """
    if not registry.is_enabled(plugin_id, _site(request)):
        raise Http404("This activity type is switched off on this site.")
    activity = find_activity(lesson_id, activity_id, activity_type=plugin_id)
    if learner:
        require_enrolled(request.user, activity)
    return activity


def require_enrolled(user, activity: LessonActivity) -> None:
    enrollment.require_enrolment(user, activity.course_iri)


def refuses_unenrolled(*, json: bool = False):
    """Answer ``NotEnrolled`` with 403: JSON ``{"error", "enrol_url"}``, or a page with the enrol button."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except enrollment.NotEnrolled as refused:
                if json:
                    return JsonResponse({"error": str(refused), "enrol_url": refused.url}, status=403)
                return render(request, "enrollment/not_enrolled.html", {
                    "message": str(refused), "title": refused.title, "url": refused.url,
                    "offering_iri": refused.iri if refused.url else "",
                }, status=403)
        return wrapped
    return decorator


def _site(request):
    from wagtail.models import Site

    return Site.find_for_request(request)


def require_staff_of(user, activity: LessonActivity) -> None:
    """Teachers and administrators of the lesson's institution (or superusers) only."""
    if user.is_superuser:
        return
    institution = accounts.institution_of(user)
    role = accounts.role_of(user)
    if role not in {accounts.Role.TEACHER, accounts.Role.INSTITUTION_ADMIN} or institution is None \
            or institution.pk != activity.course.institution_id:
        raise PermissionDenied("Only teachers of the course's institution may do this.")


def statement(
    user, activity: LessonActivity, verb: str, *, result: dict[str, Any] | None = None,
    instructor=None, object_iri: str | None = None, object_name: str | None = None,
    extensions: dict[str, Any] | None = None, url: str = "",
) -> dict:
    verb_name = verb.rsplit("/", 1)[-1]
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": accounts.xapi_agent(user),
        "verb": {"id": verb, "display": {"en-US": verb_name}},
        "object": {
            "objectType": "Activity",
            "id": object_iri or activity.iri,
            "definition": {
                "name": {"zh-CN": object_name or activity.title or activity.lesson.title},
                "type": ACTIVITY_TYPES.get(activity.activity_type, "http://adlnet.gov/expapi/activities/interaction"),
                "moreInfo": url or activity.lesson.full_url or "https://skills.gansu.edu.cn/",
            },
        },
        "context": {
            "platform": PLATFORM,
            "language": "zh-CN",
            "contextActivities": {
                "parent": [{"objectType": "Activity", "id": activity.lesson_iri}],
                "grouping": [{"objectType": "Activity", "id": activity.course_iri}],
            },
        },
        "timestamp": timezone.now().isoformat(),
    }
    if result:
        body["result"] = result
    if instructor is not None:
        body["context"]["instructor"] = accounts.xapi_agent(instructor)
    if extensions:
        body["context"]["extensions"] = extensions
    return body


def record(statements: list[dict]) -> list[str]:
    return xapi.record(statements)


def duration(seconds: float) -> str:
    return f"PT{max(0.0, round(seconds, 2))}S"

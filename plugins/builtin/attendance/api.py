"""Sign off attendance for many learners at once: all listed learners are recorded, or none."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from courses.sync_outline import LessonActivity
from lms.enrollment import api as enrollment
from lms.progress.data import Verb
from plugins.builtin import runtime

MAX_LEARNERS = 200


class AttendanceRefused(Exception):
    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


def parse_list(text: str) -> list[str]:
    names = []
    for line in (text or "").replace(",", "\n").replace("，", "\n").splitlines():
        line = line.strip()
        if line and line not in names:
            names.append(line)
    return names


def sign_off(*, trainer, activity: LessonActivity, learners_text: str) -> list:
    """Record ``attended`` for each listed learner (username or mobile number). Returns the users."""
    runtime.require_staff_of(trainer, activity)
    names = parse_list(learners_text)
    if not names:
        raise AttendanceRefused(_("List the learners who attended, one username or mobile number per line."))
    if len(names) > MAX_LEARNERS:
        raise AttendanceRefused(_("Sign off at most %(n)d learners at a time.") % {"n": MAX_LEARNERS})
    users = list(get_user_model().objects.select_related("profile")
                 .filter(Q(username__in=names) | Q(profile__mobile__in=names)))
    found = {u.username for u in users} | {getattr(getattr(u, "profile", None), "mobile", None) for u in users}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise AttendanceRefused(_("No learner has the username or mobile number: %(names)s. Nothing was recorded.")
                                % {"names": "、".join(unknown)})
    enrolled = enrollment.enrolled_learners(activity.course_iri, [u.pk for u in users])
    outside = [u.username for u in users if u.pk not in enrolled]
    if outside:
        raise AttendanceRefused(_("Not enrolled in this course: %(names)s. Enrol them (for example as a cohort) "
                                  "first. Nothing was recorded.") % {"names": "、".join(outside)})
    runtime.record([
        runtime.statement(user, activity, Verb.ATTENDED, instructor=trainer, result={"completion": True})
        for user in users
    ])
    return users

"""Submit and score assignments; the only write path for ``Submission``.

Refusals raise ``AssignmentRefused`` (status + message) before anything is written or stored.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.sync_outline import LessonActivity
from lms.progress.data import Verb
from plugins.builtin import runtime

from .activity import settings_of
from .filetypes import extension, sniff
from .models import Submission

MAX_COMMENT = 2000


class AssignmentRefused(Exception):
    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


def submit(*, user, activity: LessonActivity, upload) -> Submission:
    values = settings_of(activity.config)
    if upload is None:
        raise AssignmentRefused(_("Choose a file to upload."))
    if upload.size > values["max_mb"] * 1024 * 1024:
        raise AssignmentRefused(_("The file is %(size).1f MB; the limit is %(max)s MB.")
                                % {"size": upload.size / 1024 / 1024, "max": values["max_mb"]}, status=413)
    kind = sniff(upload)
    allowed = ", ".join(values["types"]).upper()
    if kind is None or kind not in values["types"]:
        raise AssignmentRefused(_("This file is not one of the accepted types (%(types)s).") % {"types": allowed},
                                status=415)
    if extension(upload.name) != kind:
        raise AssignmentRefused(_("The file's name says .%(ext)s but its content is %(kind)s. Rename or re-save it.")
                                % {"ext": extension(upload.name) or "?", "kind": kind.upper()}, status=415)
    with transaction.atomic():
        existing = Submission.objects.select_for_update().filter(learner=user, activity_iri=activity.iri).first()
        if existing is not None and existing.scored_at is not None:
            raise AssignmentRefused(_("Your assignment has already been scored; it can no longer be replaced."),
                                    status=409)
        submission = existing or Submission(learner=user, activity_iri=activity.iri, lesson_id=activity.lesson.pk,
                                            activity_id=activity.activity_id)
        old_file = existing.file.name if existing else None
        submission.file.save(f"{user.pk}-{activity.activity_id}.{kind}", upload, save=False)
        submission.original_name = upload.name[:255]
        submission.file_type, submission.size, submission.submitted_at = kind, upload.size, timezone.now()
        submission.save()
        runtime.record([runtime.statement(user, activity, Verb.ATTEMPTED)])
        if old_file and old_file != submission.file.name:
            storage = submission.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return submission


def score(*, teacher, submission_id: int, score_value, comment: str, activity_for) -> Submission:
    """Score a submission (0-100) with a comment; ``activity_for(submission)`` resolves its activity."""
    try:
        value = float(score_value)
    except (TypeError, ValueError):
        raise AssignmentRefused(_("The score must be a number from 0 to 100."))
    if not 0 <= value <= 100:
        raise AssignmentRefused(_("The score must be a number from 0 to 100."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise AssignmentRefused(_("The comment may be at most %(n)d characters.") % {"n": MAX_COMMENT})
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("learner").filter(pk=submission_id).first()
        if submission is None:
            raise AssignmentRefused(_("There is no such submission."), status=404)
        activity = activity_for(submission)
        runtime.require_staff_of(teacher, activity)
        if submission.scored_at is not None:
            raise AssignmentRefused(_("This submission was already scored."), status=409)
        passed = value >= settings_of(activity.config)["pass_mark"]
        runtime.record([runtime.statement(
            submission.learner, activity, Verb.SCORED, instructor=teacher,
            result={"score": {"scaled": round(value / 100, 4), "raw": value, "min": 0, "max": 100},
                    "success": passed, "completion": True, "response": comment[:500]},
        )])
        submission.score, submission.comment = value, comment
        submission.scored_by, submission.scored_at = teacher, timezone.now()
        submission.save(update_fields=["score", "comment", "scored_by", "scored_at"])
    return submission

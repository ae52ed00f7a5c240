"""Progress rows, all derived from xAPI statements (never written by hand, only through ``api``).

Invariants:
- ``ActivityEvent`` holds the facts progress needs from each platform learner's statement, one row per
  statement id (a re-sent statement changes nothing). A voiding statement marks its target ``voided``.
- ``ActivityState`` is a pure fold of one learner's non-voided events on one activity, ordered by the
  statement timestamp, so late and voided statements give the same state as if they had arrived in order.
- ``OfferingProgress`` is the percentage towards an offering (course or package) computed by
  ``lms.completion`` against the outline's rules, kept here so "My learning" reads one table.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityEvent(models.Model):
    statement_id = models.UUIDField(_("statement id"), unique=True)
    # No index of its own: the (learner, activity, timestamp) index leads with the learner (one write less).
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    activity_iri = models.CharField(_("activity IRI"), max_length=512)
    verb = models.CharField(_("verb"), max_length=255)
    completion = models.BooleanField(null=True)
    success = models.BooleanField(null=True)
    score = models.FloatField(null=True)
    seconds = models.FloatField(default=0)
    position = models.FloatField(null=True)
    progress = models.FloatField(null=True)
    more_info = models.CharField(max_length=512, blank=True)
    timestamp = models.DateTimeField()
    voided = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        indexes = [models.Index(fields=["learner", "activity_iri", "timestamp"])]


class ActivityState(models.Model):
    # No index of its own: the unique (learner, activity) constraint leads with the learner.
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    activity_iri = models.CharField(_("activity IRI"), max_length=512)
    completed = models.BooleanField(_("completed"), default=False)
    passed = models.BooleanField(_("passed"), null=True)
    best_score = models.FloatField(_("best score"), null=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    seconds = models.FloatField(_("seconds spent"), default=0)
    position = models.FloatField(_("resume position (s)"), null=True)
    percent = models.PositiveSmallIntegerField(_("percent"), default=0)
    attended = models.BooleanField(_("attended"), default=False)
    last_at = models.DateTimeField(_("last activity"), null=True)
    last_url = models.CharField(max_length=512, blank=True)

    class Meta:
        verbose_name = _("activity state")
        verbose_name_plural = _("activity states")
        constraints = [
            models.UniqueConstraint(fields=["learner", "activity_iri"], name="progress_state_once_per_activity"),
        ]
        indexes = [models.Index(fields=["activity_iri"])]


class OfferingProgress(models.Model):
    # No index of its own: the unique (learner, offering) constraint leads with the learner.
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    offering_iri = models.CharField(_("offering IRI"), max_length=512)
    percent = models.PositiveSmallIntegerField(_("percent"), default=0)
    last_url = models.CharField(max_length=512, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("offering progress")
        verbose_name_plural = _("offering progress")
        constraints = [
            models.UniqueConstraint(fields=["learner", "offering_iri"], name="progress_offering_once"),
        ]

"""The revision report: published courses whose yearly minor or three-yearly major revision is due.

Policy (三年大修订、每年小修订): a major revision is due three years after the last one; a minor revision
a year after the latest revision of either kind (``CoursePage.minor_revision_due`` /
``major_revision_due``). A course is listed when either is due within ``WINDOW_DAYS`` or already past;
a course with no recorded revision counts as overdue.

Classification happens in the database (so filtering, paging and exports stay one query however many
courses there are): "due by day D" for a rule of N years is "revised on or before the latest date
whose N-year anniversary falls on or before D" (``latest_revision_date``). Due dates are only shown
from the model's own properties, and tests check that both agree.

Rows are scoped by Wagtail page permissions: a teacher sees the courses in the sections they may
edit, reviewers and superusers see the whole catalogue.
"""
from __future__ import annotations

import calendar
import datetime

import django_filters
from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import page_permission_policy

from lms.institutions.api import Institution

from .models import CoursePage

__all__ = ["WINDOW_DAYS", "RevisionReportView", "latest_revision_date", "revisions_due"]

WINDOW_DAYS = 60
MAJOR, MINOR = "major", "minor"
OVERDUE, DUE_SOON = "overdue", "due_soon"
AUTHORING_ACTIONS = ["add", "change", "publish"]

REVISION_LABELS = {MAJOR: _("Major revision (every three years)"), MINOR: _("Minor revision (yearly)")}
STATUS_LABELS = {OVERDUE: _("Overdue"), DUE_SOON: _("Due within 60 days")}


def _anniversary(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved ``years`` years on, as ``CoursePage`` does (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_revision_date(due_by: datetime.date, years: int) -> datetime.date:
    """The latest revision date whose ``years``-year anniversary falls on or before ``due_by``."""
    year = due_by.year - years
    if due_by.month == 2 and due_by.day >= 28:
        if calendar.isleap(year) and _anniversary(datetime.date(year, 2, 29), years) <= due_by:
            return datetime.date(year, 2, 29)
        return datetime.date(year, 2, 28)
    return due_by.replace(year=year)


def _revised_by(day: datetime.date, years: int) -> Q:
    """Courses whose ``years``-year revision falls due on or before ``day`` (missing dates included)."""
    cutoff = latest_revision_date(day, years)
    major = Q(last_major_revision__isnull=True) | Q(last_major_revision__lte=cutoff)
    if years == 3:
        return major
    minor = Q(last_minor_revision__isnull=True) | Q(last_minor_revision__lte=cutoff)
    return major & minor


def revisions_due(courses: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """``courses`` narrowed to those due within the window, annotated with ``revision`` and ``status``."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=WINDOW_DAYS)
    yesterday = today - datetime.timedelta(days=1)
    major_due, minor_due = _revised_by(horizon, 3), _revised_by(horizon, 1)
    overdue = _revised_by(yesterday, 3) | _revised_by(yesterday, 1)
    return (
        courses.filter(major_due | minor_due)
        .annotate(
            revision=Case(When(major_due, then=Value(MAJOR)), default=Value(MINOR), output_field=CharField()),
            status=Case(When(overdue, then=Value(OVERDUE)), default=Value(DUE_SOON), output_field=CharField()),
        )
        .order_by("-status", "last_major_revision", "last_minor_revision", "title", "pk")
    )


def due_date(course: CoursePage, *, today: datetime.date | None = None) -> datetime.date | None:
    """The earliest due date among the revisions that are due; None when no revision was ever recorded."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=WINDOW_DAYS)
    dues = [course.major_revision_due, course.minor_revision_due]
    if None in dues:
        return None
    return min(day for day in dues if day <= horizon)


def visible_courses(user) -> QuerySet:
    """Live courses in the part of the tree ``user`` may author or review."""
    pages = page_permission_policy.instances_user_has_any_permission_for(user, AUTHORING_ACTIONS)
    return CoursePage.objects.live().filter(pk__in=pages.values("pk"))


def _institutions_for_filter(request):
    if request is None:
        return Institution.objects.none()
    return Institution.objects.filter(pk__in=visible_courses(request.user).values("institution")).order_by("name")


class RevisionReportFilterSet(WagtailFilterSet):
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=_institutions_for_filter, field_name="institution"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=list(STATUS_LABELS.items()), method="by_value")
    revision = django_filters.ChoiceFilter(
        label=_("Revision"), choices=list(REVISION_LABELS.items()), method="by_value"
    )

    class Meta:
        model = CoursePage
        fields = ["institution", "status", "revision"]

    def by_value(self, queryset, name, value):
        # ``status`` and ``revision`` are annotations made by ``revisions_due``.
        return queryset.filter(**{name: value}) if value else queryset


class RevisionReportView(ReportView):
    page_title = _("Course revisions due")
    header_icon = "date"
    index_url_name = "courses_revision_report"
    index_results_url_name = "courses_revision_report_results"
    filterset_class = RevisionReportFilterSet
    paginate_by = 50
    permission_policy = page_permission_policy
    any_permission_required = AUTHORING_ACTIONS
    no_results_message = _("No course needs a revision in the next 60 days.")
    list_export = [
        "code", "title", "institution", "revision_label", "due_date_display", "status_label",
        "last_major_revision", "last_minor_revision",
    ]
    export_headings = {
        "code": _("Course code"),
        "title": _("Course"),
        "institution": _("Institution"),
        "revision_label": _("Revision"),
        "due_date_display": _("Due date"),
        "status_label": _("Status"),
        "last_major_revision": _("Last major revision"),
        "last_minor_revision": _("Last minor revision"),
    }

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("Course"), url_name="wagtailadmin_pages:edit"),
            Column("code", label=_("Course code")),
            Column("institution", label=_("Institution")),
            Column("revision_label", label=_("Revision")),
            Column("due_date_display", label=_("Due date")),
            Column("status_label", label=_("Status")),
        ]

    def get_filename(self):
        return f"course-revisions-due-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_queryset(self):
        courses = visible_courses(self.request.user).select_related("institution")
        return revisions_due(courses, today=self.today)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for course in rows:
            course.revision_label = str(REVISION_LABELS[course.revision])
            course.status_label = str(STATUS_LABELS[course.status])
            day = due_date(course, today=self.today)
            course.due_date_display = (
                date_format(day, "Y-m-d") if day else str(_("No revision recorded"))
            )
        return rows

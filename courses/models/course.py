"""Course → Unit → Lesson.

A course's institution and cluster are copied from its institution section on save, so teachers cannot
file a course under another institution and the catalogue filters on plain indexed columns.
"""
from datetime import date

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from lms.institutions.models import Cluster, Institution

from .taxonomy import Level

RICH_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class InstitutionOwnedPage(Page):
    """Abstract: a page that belongs to the institution whose section it sits in."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        abstract = True

    def owning_section(self):
        from .catalogue import InstitutionSectionPage

        return InstitutionSectionPage.objects.ancestor_of(self).select_related("institution").first()

    def route(self, request, path_components):
        # Wagtail would serve a live child of an unpublished page: a withdrawn course or library must take
        # its units, lessons and resources off the public site with it.
        if path_components and not self.live:
            raise Http404
        return super().route(request, path_components)

    def save(self, *args, **kwargs):
        section = self.owning_section() if self.path else None
        if section is not None:
            self.institution = section.institution
        return super().save(*args, **kwargs)


class CoursePage(InstitutionOwnedPage):
    code = models.CharField(_("course code"), max_length=32, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    credits = models.DecimalField(_("credits"), max_digits=4, decimal_places=1, default=0)
    class_hours = models.PositiveIntegerField(_("class hours"), default=0)
    cluster = models.CharField(_("cluster"), max_length=16, choices=Cluster.choices, blank=True, db_index=True)
    specialty = models.ForeignKey(
        "courses.Specialty", verbose_name=_("specialty"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="courses",
    )
    industries = ParentalManyToManyField("courses.Industry", verbose_name=_("industries"), blank=True)
    programs = ParentalManyToManyField("courses.TrainingProgram", verbose_name=_("training programs"), blank=True)
    skill_certificates = ParentalManyToManyField(
        "courses.SkillCertificate", verbose_name=_("1+X certificates it prepares for"), blank=True
    )
    summary = models.TextField(_("summary"), max_length=1000)
    cover = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    learning_outcomes = RichTextField(_("learning outcomes"), blank=True, features=RICH_FEATURES)
    prerequisites = RichTextField(_("prerequisites"), blank=True, features=RICH_FEATURES)
    is_quality_course = models.BooleanField(_("provincial quality course (精品)"), default=False, db_index=True)
    quality_year = models.PositiveSmallIntegerField(_("quality course year"), null=True, blank=True)
    last_major_revision = models.DateField(_("last major revision"), null=True, blank=True)
    last_minor_revision = models.DateField(_("last minor revision"), null=True, blank=True)
    # Completion rules, set by the course's teacher; pushed to lms.completion in the outline on publish.
    completion_require_lessons = models.BooleanField(_("every lesson must be visited"), default=False)
    completion_require_activities = models.BooleanField(_("every activity must be completed"), default=True)
    completion_require_quiz_pass = models.BooleanField(_("quizzes must be passed"), default=True)
    completion_require_attendance = models.BooleanField(_("face-to-face sessions must be attended"), default=True)
    completion_min_hours = models.DecimalField(
        _("minimum learning hours"), max_digits=6, decimal_places=1, default=0,
        help_text=_("Time recorded across the course's activities (e.g. video watched); 0 for no minimum."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("code"), FieldPanel("level")]),
            FieldRowPanel([FieldPanel("credits"), FieldPanel("class_hours")]),
            FieldPanel("specialty"), FieldPanel("cluster"),
        ], heading=_("Course facts")),
        FieldPanel("summary"), FieldPanel("cover"),
        FieldPanel("industries"), FieldPanel("programs"), FieldPanel("skill_certificates"),
        InlinePanel("teachers", label=_("Teachers")),
        FieldPanel("learning_outcomes"), FieldPanel("prerequisites"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("is_quality_course"), FieldPanel("quality_year")]),
            FieldRowPanel([FieldPanel("last_major_revision"), FieldPanel("last_minor_revision")]),
        ], heading=_("Quality and revision")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("completion_require_activities"), FieldPanel("completion_require_quiz_pass")]),
            FieldRowPanel([FieldPanel("completion_require_attendance"), FieldPanel("completion_require_lessons")]),
            FieldPanel("completion_min_hours"),
        ], heading=_("Completion rules")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("code"),
        index.FilterField("level"),
        index.FilterField("cluster"),
        index.FilterField("institution"),
    ]
    parent_page_types = ["courses.InstitutionSectionPage"]
    subpage_types = ["courses.UnitPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        if not self.cluster and self.institution_id:
            self.cluster = self.institution.cluster
            type(self).objects.filter(pk=self.pk).update(cluster=self.cluster)
        return result

    @property
    def minor_revision_due(self) -> date | None:
        """A minor revision is due a year after the latest revision of either kind."""
        latest = max(filter(None, [self.last_minor_revision, self.last_major_revision]), default=None)
        return _add_years(latest, 1) if latest else None

    @property
    def major_revision_due(self) -> date | None:
        return _add_years(self.last_major_revision, 3) if self.last_major_revision else None

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context.update(api.course_outline(self))
        return context


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class CourseTeacher(Orderable):
    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="teachers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("platform account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=64, blank=True)

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("user")]

    def __str__(self):
        return self.name


class UnitPage(InstitutionOwnedPage):
    summary = models.TextField(_("summary"), blank=True, max_length=1000)

    content_panels = Page.content_panels + [FieldPanel("summary")]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context.update(api.unit_outline(self))
        return context


class LessonPage(InstitutionOwnedPage):
    summary = models.TextField(_("summary"), blank=True, max_length=1000)
    duration_minutes = models.PositiveIntegerField(_("expected duration (minutes)"), default=0)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("duration_minutes"), FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.UnitPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context.update(api.lesson_navigation(self))
        context["invite_to_enrol"] = api.record_lesson_visit(request, self, context["course"])
        return context

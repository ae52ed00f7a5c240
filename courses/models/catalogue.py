"""The top of the tree: home, the public catalogue, and one section per institution.

    HomePage
      └── CatalogueIndexPage           /courses/  (filters; routes for libraries and packages)
            └── InstitutionSectionPage /courses/<institution>/  (a teacher's permission root)
                  ├── CoursePage → UnitPage → LessonPage
                  ├── ResourceLibraryPage → ResourcePage
                  └── TrainingPackagePage

Teachers get add/edit rights on their institution's section only (``courses.authoring``), so
Wagtail's own page permissions keep them out of every other institution's content.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.institutions.models import Institution


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CatalogueIndexPage"]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context.update(api.home_highlights(site_root=self))
        return context


class CatalogueIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.InstitutionSectionPage"]

    class Meta:
        verbose_name = _("course catalogue")

    @path("")
    def courses(self, request):
        from courses import api

        catalogue = api.course_catalogue(self, request.GET)
        return self.render(request, context_overrides={"catalogue": catalogue})

    @path("libraries/")
    def libraries(self, request):
        from courses import api

        return self.render(
            request,
            template="courses/library_index.html",
            context_overrides={"libraries": api.paginate(api.library_listing(self), request.GET)},
        )

    @path("packages/")
    def packages(self, request):
        from courses import api

        return self.render(
            request,
            template="courses/package_index.html",
            context_overrides={"packages": api.paginate(api.package_listing(self), request.GET)},
        )


class InstitutionSectionPage(Page):
    """An institution's part of the catalogue; its teachers author everything beneath it."""

    institution = models.OneToOneField(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="section_page"
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("institution"), FieldPanel("intro")]
    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = ["courses.CoursePage", "courses.ResourceLibraryPage", "courses.TrainingPackagePage"]

    class Meta:
        verbose_name = _("institution section")

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context.update(api.section_contents(self))
        return context

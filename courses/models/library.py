"""Professional teaching resource libraries (专业教学资源库) and their resources.

A resource is authored once in its library; lessons and training packages point at it. Wagtail's
reference index records every such pointer, which is how a resource page lists where it is reused.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from lms.institutions.models import Institution
from media.models import Licence

from .course import InstitutionOwnedPage
from .taxonomy import Level


class ResourceLibraryPage(InstitutionOwnedPage):
    """A library; its lead institution is the institution whose section holds it."""

    specialty = models.ForeignKey(
        "courses.Specialty", verbose_name=_("specialty"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="libraries",
    )
    partner_institutions = ParentalManyToManyField(
        Institution, verbose_name=_("partner institutions"), blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), max_length=1000)
    cover = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("specialty"), FieldPanel("partner_institutions"), FieldPanel("summary"), FieldPanel("cover"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["courses.InstitutionSectionPage"]
    subpage_types = ["courses.ResourcePage"]

    class Meta:
        verbose_name = _("resource library")
        verbose_name_plural = _("resource libraries")

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context.update(api.library_contents(self, request.GET))
        return context


class ResourceTag(TaggedItemBase):
    content_object = ParentalKey("courses.ResourcePage", on_delete=models.CASCADE, related_name="tagged_items")


class ResourcePage(InstitutionOwnedPage):
    class ResourceType(models.TextChoices):
        DOCUMENT = "document", _("Document")
        VIDEO = "video", _("Video")
        COURSEWARE = "courseware", _("Courseware")
        SIMULATION = "simulation", _("Simulation")
        IMAGE = "image", _("Image")
        AUDIO = "audio", _("Audio")
        LINK = "link", _("Link")

    # Which types must carry a file; a simulation may be a file package or a link.
    FILE_TYPES = {"document", "video", "courseware", "audio"}

    code = models.CharField(_("resource code"), max_length=48, unique=True)
    resource_type = models.CharField(_("type"), max_length=16, choices=ResourceType.choices, db_index=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    file = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL, verbose_name=_("file"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, verbose_name=_("image"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    link_url = models.URLField(_("link"), blank=True)
    licence = models.CharField(_("licence"), max_length=32, choices=Licence.choices, default=Licence.CC_BY_NC_SA)
    author = models.CharField(_("author"), max_length=128)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    industry = models.ForeignKey(
        "courses.Industry", verbose_name=_("industry"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="resources",
    )
    keywords = ClusterTaggableManager(verbose_name=_("keywords"), through=ResourceTag, blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("code"), FieldPanel("resource_type")]),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("file"), FieldPanel("image"), FieldPanel("link_url")], heading=_("Content")),
        FieldRowPanel([FieldPanel("author"), FieldPanel("licence")]),
        FieldRowPanel([FieldPanel("level"), FieldPanel("industry")]),
        FieldPanel("keywords"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"), index.SearchField("code"), index.SearchField("author"),
        index.FilterField("resource_type"),
    ]
    parent_page_types = ["courses.ResourceLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def clean(self):
        super().clean()
        if self.resource_type == self.ResourceType.LINK and not self.link_url:
            raise ValidationError({"link_url": _("A link resource needs its web address.")})
        if self.resource_type in self.FILE_TYPES and not self.file_id:
            raise ValidationError({"file": _("A %(type)s resource needs its file.") % {
                "type": self.get_resource_type_display()}})
        if self.resource_type == self.ResourceType.IMAGE and not (self.image_id or self.file_id):
            raise ValidationError({"image": _("An image resource needs its image.")})
        if self.resource_type == self.ResourceType.SIMULATION and not (self.file_id or self.link_url):
            raise ValidationError({"file": _("A simulation needs either a package file or a link.")})

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context["reused_in"] = api.resource_usage(self)
        return context

"""Training packages (培训包): a bundle of courses, units and resources for a target group, with a skill
standard, an assessment and a certificate, offered in some regions, with an optional quota."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from lms.institutions.models import Region

from .course import RICH_FEATURES, InstitutionOwnedPage


class TrainingPackagePage(InstitutionOwnedPage):
    code = models.CharField(_("package code"), max_length=32, unique=True)
    program = models.ForeignKey(
        "courses.TrainingProgram", verbose_name=_("training program"), on_delete=models.PROTECT,
        related_name="packages",
    )
    target_group = models.CharField(_("target group"), max_length=128)
    summary = models.TextField(_("summary"), max_length=1000)
    cover = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    skill_standard = RichTextField(_("skill standard"), features=RICH_FEATURES)
    hours = models.PositiveIntegerField(_("training hours"))
    assessment = RichTextField(_("assessment"), features=RICH_FEATURES)
    certificate_name = models.CharField(_("certificate awarded"), max_length=128)
    skill_certificate = models.ForeignKey(
        "courses.SkillCertificate", verbose_name=_("1+X certificate"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="packages",
    )
    regions = ParentalManyToManyField(Region, verbose_name=_("regions where offered"), blank=True, related_name="+")
    quota = models.PositiveIntegerField(
        _("quota"), null=True, blank=True, help_text=_("Maximum number of enrolled learners; empty for no limit.")
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("code"), FieldPanel("program")]),
        FieldPanel("target_group"), FieldPanel("summary"), FieldPanel("cover"),
        InlinePanel("items", label=_("Contents, in order"), min_num=1),
        FieldPanel("skill_standard"),
        FieldRowPanel([FieldPanel("hours"), FieldPanel("quota")]),
        FieldPanel("assessment"),
        MultiFieldPanel([FieldPanel("certificate_name"), FieldPanel("skill_certificate")], heading=_("Certificate")),
        FieldPanel("regions"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("target_group")]
    parent_page_types = ["courses.InstitutionSectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("training package")
        verbose_name_plural = _("training packages")

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context["items"] = api.package_items(self)
        return context


class PackageItem(Orderable):
    """One course, unit or resource in a package, in the order learners take them."""

    ALLOWED = ("courses.CoursePage", "courses.UnitPage", "courses.ResourcePage")

    package = ParentalKey(TrainingPackagePage, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("wagtailcore.Page", verbose_name=_("course, unit or resource"),
                             on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(_("required"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [PageChooserPanel("item", list(ALLOWED)), FieldPanel("required"), FieldPanel("note")]

    def clean(self):
        if self.item_id and self.item.specific_class._meta.label not in self.ALLOWED:
            raise ValidationError({"item": _("A package may contain courses, units and resources only.")})

"""CourseImage and CourseDocument: Wagtail's image and document with licence and authorship.

Every file on the platform (a lesson's video, a library's courseware) is one of these, so licence and
author travel with the file wherever it is reused.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage, AbstractRendition


class Licence(models.TextChoices):
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC0 = "cc0", "CC0"


class CourseImage(AbstractImage):
    author = models.CharField(_("author"), max_length=128, blank=True)
    licence = models.CharField(_("licence"), max_length=32, choices=Licence.choices, blank=True)

    admin_form_fields = ("title", "file", "collection", "tags", "author", "licence", "focal_point_x",
                         "focal_point_y", "focal_point_width", "focal_point_height")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CourseImageRendition(AbstractRendition):
    image = models.ForeignKey(CourseImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class CourseDocument(AbstractDocument):
    author = models.CharField(_("author"), max_length=128, blank=True)
    licence = models.CharField(_("licence"), max_length=32, choices=Licence.choices, blank=True)

    admin_form_fields = ("title", "file", "collection", "tags", "author", "licence")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

"""CourseImage and CourseDocument: Wagtail's image and document with licence and authorship.

Every file on the platform (a lesson's video, a library's courseware) is one of these, so licence and
author travel with the file wherever it is reused.

Invariants (enforced by the admin forms through ``media.api.check_upload``):
- ``content_type`` is what the bytes are (sniffed at upload), and is what the file is served as;
- a video's ``poster`` is an image and its ``captions`` a WebVTT document;
- a document with ``offering_iri`` is private: only learners enrolled in that course or package (and
  staff) may download it (``media.access``).
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
    content_type = models.CharField(_("content type"), max_length=128, blank=True, editable=False)
    poster = models.ForeignKey(
        CourseImage, verbose_name=_("poster image (video)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    captions = models.ForeignKey(
        "self", verbose_name=_("captions (WebVTT, for video or audio)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    captions_language = models.CharField(_("captions language"), max_length=16, blank=True, default="zh-Hans")
    offering_iri = models.CharField(
        _("only for learners enrolled in"), max_length=255, blank=True,
        help_text=_("Activity IRI of a course or training package. Empty: anyone who may see the collection."),
    )

    admin_form_fields = ("title", "file", "collection", "tags", "author", "licence", "poster", "captions",
                         "captions_language", "offering_iri")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

"""StreamField blocks for lesson bodies.

Library resources are *referenced* (``ResourceBlock``), never copied, so Wagtail's reference index can
show where each resource is reused. The activity block's types come from the plugin registry.
"""
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from plugins.core import registry


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    file = DocumentChooserBlock(label=_("video file (MP4/WebM)"))
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    captions = DocumentChooserBlock(label=_("captions (WebVTT)"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class AudioBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    file = DocumentChooserBlock(label=_("audio file (MP3/OGG/M4A)"))

    class Meta:
        icon = "media"
        label = _("Audio")
        template = "courses/blocks/audio.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("safety", _("Safety"))],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class ResourceBlock(blocks.StructBlock):
    resource = blocks.PageChooserBlock(label=_("library resource"), page_type="courses.ResourcePage")
    note = blocks.CharBlock(label=_("note for learners"), required=False, max_length=200)

    class Meta:
        icon = "folder-open-inverse"
        label = _("Library resource")
        template = "courses/blocks/resource.html"


class ActivityBlock(blocks.StructBlock):
    """An activity provided by a plugin (quiz, assignment, ...). ``config`` is the plugin's JSON."""

    activity_type = blocks.ChoiceBlock(label=_("activity type"), choices=registry.activity_type_choices)
    title = blocks.CharBlock(label=_("title"), max_length=200)
    activity_id = blocks.CharBlock(
        label=_("activity id"), max_length=64,
        help_text=_("Stable identifier, unique within the lesson; it becomes part of the xAPI activity IRI."),
    )
    config = blocks.TextBlock(label=_("configuration (JSON)"), required=False, default="{}")

    class Meta:
        icon = "pick"
        label = _("Activity")
        template = "courses/blocks/activity.html"

    def clean(self, value):
        value = super().clean(value)
        try:
            config = json.loads(value.get("config") or "{}")
        except json.JSONDecodeError as exc:
            raise blocks.StructBlockValidationError(
                {"config": ValidationError(_("Not valid JSON: %(error)s") % {"error": exc})}
            )
        activity_type = registry.activity_types().get(value["activity_type"])
        problems = activity_type().validate_config(config) if activity_type else []
        if problems:
            raise blocks.StructBlockValidationError({"config": ValidationError("; ".join(problems))})
        return value


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
    )
    image = ImageBlock()
    document = DocumentChooserBlock(label=_("Document"), template="courses/blocks/document.html")
    video = VideoBlock()
    audio = AudioBlock()
    embed = EmbedBlock(label=_("Embed"), template="courses/blocks/embed.html")
    callout = CalloutBlock()
    resource = ResourceBlock()
    activity = ActivityBlock()

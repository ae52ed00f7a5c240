"""Base forms for Wagtail's image and document admin (settings ``WAGTAIL*_FORM_BASE``), so every
upload path of the admin, single and multiple, goes through ``media.api.check_upload``."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from . import safety


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            checked = safety.check_upload(file)
            self.instance.content_type = checked.content_type
        return file

    def clean(self):
        cleaned = super().clean()
        poster, captions = cleaned.get("poster"), cleaned.get("captions")
        if captions is not None and captions.content_type != "text/vtt":
            self.add_error("captions", _("Captions must be a WebVTT (.vtt) document."))
        if captions is not None and self.instance.pk and captions.pk == self.instance.pk:
            self.add_error("captions", _("A document cannot be its own captions."))
        if poster is not None and self.instance.content_type and not self.instance.content_type.startswith("video/"):
            self.add_error("poster", _("Only a video has a poster image."))
        return cleaned


class SafeImageForm(BaseImageForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            try:
                safety.check_upload(file, kinds={"image"})
            except ValidationError:
                raise
        return file

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentConfig(AppConfig):
    name = "plugins.builtin.document"
    label = "document_activity"
    verbose_name = _("Document activity")

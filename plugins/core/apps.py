from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PluginsConfig(AppConfig):
    name = "plugins.core"
    label = "plugins"
    verbose_name = _("Plugins")

    def ready(self):
        # Registering the checks only; plugins themselves are loaded lazily on first use.
        from . import checks  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "lms.credits"
    label = "credits"
    verbose_name = _("Credit bank")

    def ready(self):
        # Wiring only (no queries). The completion and certificate apps are built alongside this one:
        # connect to their signals when they are installed, and stay usable through api.* when not.
        from . import receivers

        receivers.connect()

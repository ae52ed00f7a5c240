from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompletionConfig(AppConfig):
    name = "lms.completion"
    label = "completion"
    verbose_name = _("Completion")

    def ready(self):
        from lms.progress.signals import activities_changed

        from . import receivers

        activities_changed.connect(receivers.evaluate_changed, dispatch_uid="completion.evaluate_changed")

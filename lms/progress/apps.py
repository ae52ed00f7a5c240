from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "lms.progress"
    label = "progress"
    verbose_name = _("Learning progress")

    def ready(self):
        # Wiring only: the projection listens to the LRS's one write path (contract 1).
        from lms.xapi.signals import statements_recorded

        from . import receivers

        statements_recorded.connect(receivers.project_recorded, dispatch_uid="progress.project_recorded")

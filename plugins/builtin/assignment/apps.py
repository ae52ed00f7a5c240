from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentConfig(AppConfig):
    name = "plugins.builtin.assignment"
    label = "assignment"
    verbose_name = _("Assignments")

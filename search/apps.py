from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "lms_search"  # "search" is taken by wagtail.search's historic label
    verbose_name = _("Search")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "plugins.builtin.video"
    label = "video_activity"
    verbose_name = _("Video activity")

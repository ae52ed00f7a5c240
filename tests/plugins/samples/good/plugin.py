from django.utils.html import format_html

from plugins.core.interfaces import ActivityType, PluginSpec


class Checklist(ActivityType):
    slug = "checklist"
    label = "Checklist"

    def render(self, *, config, context):
        return format_html('<ul class="checklist">{}</ul>', config.get("item", ""))


class EchoForwarder:
    pass


PLUGIN = PluginSpec(
    id="good", name="Good plugin", version="1.2.3", activity_types=(Checklist,), lrs_forwarders=(EchoForwarder,),
    default_config={"endpoint": "", "retries": 3, "verbose": False},
    health_check=lambda: ["endpoint is not set"],
)

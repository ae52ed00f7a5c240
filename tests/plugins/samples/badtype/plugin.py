from plugins.core.interfaces import PluginSpec


class NotAnActivity:
    slug = "x"


PLUGIN = PluginSpec(id="badtype", name="Bad type", version="0.1", activity_types=(NotAnActivity,))

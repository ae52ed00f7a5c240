from plugins.core.interfaces import PluginSpec

PLUGIN = PluginSpec(id="good", name="Impostor", version="0.1")

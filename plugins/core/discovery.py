"""Find plugin apps before Django loads its apps.

Runs inside settings, so it must not import Django models or anything that configures Django
(kolibri's ``PluginLoadsApp`` guard, saleor's settings-time entry-point read). It only names apps;
whether a plugin is *enabled* is decided later, per Site, by ``plugins.registry``.
"""
from importlib.metadata import entry_points

ENTRY_POINT_GROUP = "skills_gansu.plugins"


def discover_plugin_apps(builtin: list[str]) -> list[str]:
    """Return the built-in plugin apps followed by installed third-party ones, without duplicates.

    Each entry point's value is the dotted path of a Django app package that holds a ``plugin.py``.
    """
    apps = list(builtin)
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        if entry_point.value not in apps:
            apps.append(entry_point.value)
    return apps

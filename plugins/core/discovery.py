"""Find plugin apps before Django loads its apps.

Runs inside settings, so it must not import Django models or anything that configures Django
(kolibri's ``PluginLoadsApp`` guard, saleor's settings-time entry-point read). It only names apps;
whether a plugin is *enabled* is decided later, per Site, by ``plugins.core.registry``.

An app that cannot be found is left out of ``INSTALLED_APPS`` (so Django still starts) and reported by
the ``plugins.E001`` system check, which fails ``migrate``/``runserver`` with a message naming it.
"""
from importlib.metadata import entry_points
from importlib.util import find_spec

ENTRY_POINT_GROUP = "skills_gansu.plugins"


def declared_plugin_apps(builtin: list[str]) -> list[str]:
    """The built-in plugin apps followed by the apps named by installed entry points, without duplicates.

    Each entry point's value is the dotted path of a Django app package that holds a ``plugin.py``.
    """
    apps = list(dict.fromkeys(builtin))
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        if entry_point.value not in apps:
            apps.append(entry_point.value)
    return apps


def app_exists(app: str) -> bool:
    """Can ``app`` be imported? Looks the module up without running it (only its parent packages)."""
    try:
        return find_spec(app) is not None
    except (ImportError, ValueError):
        return False


def discover_plugin_apps(builtin: list[str]) -> list[str]:
    """The declared plugin apps that exist, for ``INSTALLED_APPS``."""
    return [app for app in declared_plugin_apps(builtin) if app_exists(app)]

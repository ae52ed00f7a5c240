"""The registry of installed plugins, read lazily from each plugin app's ``plugin.py``.

Nothing here runs at import time: the first call walks ``settings.PLUGIN_APPS`` and caches the specs.
Tests can call ``reset()`` after changing settings.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from django.conf import settings

from .interfaces import ActivityType, PluginSpec


@lru_cache(maxsize=1)
def installed_plugins() -> dict[str, PluginSpec]:
    specs: dict[str, PluginSpec] = {}
    for app in settings.PLUGIN_APPS:
        spec = import_module(f"{app}.plugin").PLUGIN
        specs[spec.id] = spec
    return specs


def reset() -> None:
    installed_plugins.cache_clear()


def activity_types() -> dict[str, type[ActivityType]]:
    """Every installed activity type, by slug."""
    found: dict[str, type[ActivityType]] = {}
    for spec in installed_plugins().values():
        for activity_type in spec.activity_types:
            found[activity_type.slug] = activity_type
    return found


def activity_type_choices() -> list[tuple[str, str]]:
    """(slug, label) pairs for the lesson's activity block; callable so new plugins appear at once."""
    return sorted((slug, str(cls.label)) for slug, cls in activity_types().items())

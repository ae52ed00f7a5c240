"""The registry of installed plugins, and which of them are enabled where.

*Installed* means listed in ``settings.PLUGIN_APPS`` (built-ins from ``BUILTIN_PLUGINS`` plus entry
points, see ``discovery.py``) with a working ``plugin.py``. *Enabled* means installed, not switched off
by the ``SKILLS_GANSU_DISABLED_PLUGINS`` kill switch, and turned on for the Site by a
``PluginConfiguration`` row. Installed is never enabled by default.

Nothing here runs at import time: the first call walks ``settings.PLUGIN_APPS`` and caches the specs.
A broken plugin is left out (and reported by the ``plugins.E00x`` system checks) rather than taking the
whole platform down. Tests can call ``reset()`` after changing settings.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from typing import Any

from django.conf import settings

from .interfaces import IMPLEMENTATION_KINDS, ActivityType, PluginSpec

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadProblem:
    """Why an app in ``PLUGIN_APPS`` did not yield a usable plugin; ``code`` is the system check id."""

    app: str
    code: str
    message: str


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, PluginSpec], dict[str, str], tuple[LoadProblem, ...]]:
    specs: dict[str, PluginSpec] = {}
    app_of: dict[str, str] = {}
    problems: list[LoadProblem] = []
    for app in settings.PLUGIN_APPS:
        try:
            module = import_module(f"{app}.plugin")
        except ModuleNotFoundError as exc:
            missing = exc.name or ""
            if missing in (app, f"{app}.plugin") or app.startswith(missing + "."):
                problems.append(LoadProblem(app, "plugins.E001", f"{app}.plugin cannot be found ({exc})."))
            else:
                problems.append(LoadProblem(app, "plugins.E002", f"{app}.plugin fails to import: {exc!r}."))
            continue
        except Exception as exc:  # a plugin's own bug: report it, keep the platform up
            problems.append(LoadProblem(app, "plugins.E002", f"{app}.plugin fails to import: {exc!r}."))
            continue
        spec = getattr(module, "PLUGIN", None)
        if not isinstance(spec, PluginSpec):
            problems.append(LoadProblem(
                app, "plugins.E003", f"{app}.plugin.PLUGIN must be a plugins.core.interfaces.PluginSpec, "
                f"not {type(spec).__name__}."))
            continue
        if spec.id in specs:
            problems.append(LoadProblem(
                app, "plugins.E004", f"Plugin id {spec.id!r} of {app} is already used by {app_of[spec.id]}."))
            continue
        bad = [cls for cls in spec.activity_types
               if not (isinstance(cls, type) and issubclass(cls, ActivityType) and cls.slug)]
        if bad:
            problems.append(LoadProblem(
                app, "plugins.E005", f"{app}: activity types must subclass ActivityType and set a slug: {bad!r}."))
            continue
        specs[spec.id] = spec
        app_of[spec.id] = app
    for problem in problems:
        logger.error("Plugin not loaded: %s", problem.message)
    return specs, app_of, tuple(problems)


def installed_plugins() -> dict[str, PluginSpec]:
    """Every installed plugin that loaded cleanly, by id (in ``PLUGIN_APPS`` order)."""
    return _load()[0]


def app_of(plugin_id: str) -> str:
    """The Django app (dotted path) that provides ``plugin_id``."""
    return _load()[1][plugin_id]


def load_problems() -> tuple[LoadProblem, ...]:
    return _load()[2]


def reset() -> None:
    _load.cache_clear()


def killed_plugins() -> set[str]:
    """Plugin ids switched off everywhere by ``SKILLS_GANSU_DISABLED_PLUGINS`` (read in settings)."""
    return set(getattr(settings, "SKILLS_GANSU_DISABLED_PLUGINS", ()))


def _site_or_default(site):
    if site is not None:
        return site
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).first()


def enabled_plugin_ids(site=None) -> set[str]:
    """Ids of the plugins enabled on ``site`` (the default Site when None). One query."""
    from .models import PluginConfiguration

    site = _site_or_default(site)
    if site is None:
        return set()
    installed = installed_plugins()
    stored = PluginConfiguration.objects.filter(site=site, enabled=True).values_list("plugin_id", flat=True)
    return {plugin_id for plugin_id in stored if plugin_id in installed} - killed_plugins()


def enabled_plugin_ids_for_request(request) -> set[str]:
    """``enabled_plugin_ids`` for the request's Site, remembered on the request (one query per page)."""
    cached = getattr(request, "_skills_gansu_enabled_plugins", None)
    if cached is None:
        from wagtail.models import Site

        cached = enabled_plugin_ids(Site.find_for_request(request))
        request._skills_gansu_enabled_plugins = cached
    return cached


def is_enabled(plugin_id: str, site=None) -> bool:
    """Is ``plugin_id`` installed, not killed by the environment, and switched on for ``site``?"""
    if plugin_id not in installed_plugins() or plugin_id in killed_plugins():
        return False
    return plugin_id in enabled_plugin_ids(site)


def enabled_implementations(kind: str, site=None) -> list[type]:
    """The classes of one kind (``activity_types``, ``lrs_forwarders``, ``credit_bank_connectors``) that
    the plugins enabled on ``site`` provide, in plugin order."""
    if kind not in IMPLEMENTATION_KINDS:
        raise ValueError(f"Unknown implementation kind {kind!r}; expected one of {', '.join(IMPLEMENTATION_KINDS)}.")
    enabled = enabled_plugin_ids(site)
    return [cls for plugin_id, spec in installed_plugins().items() if plugin_id in enabled
            for cls in getattr(spec, kind)]


def plugin_config(plugin_id: str, site=None) -> dict[str, Any]:
    """The plugin's ``default_config`` overlaid with the Site's stored configuration."""
    from .models import PluginConfiguration

    spec = installed_plugins()[plugin_id]
    config = dict(spec.default_config)
    site = _site_or_default(site)
    if site is not None:
        stored = PluginConfiguration.objects.filter(site=site, plugin_id=plugin_id).values_list("config", flat=True)
        for value in stored:
            config.update(value or {})
    return config


def _activity_types_of(plugin_ids) -> dict[str, type[ActivityType]]:
    found: dict[str, type[ActivityType]] = {}
    for plugin_id, spec in installed_plugins().items():
        if plugin_ids is None or plugin_id in plugin_ids:
            for activity_type in spec.activity_types:
                found[activity_type.slug] = activity_type
    return found


def activity_types(site=None, *, request=None) -> dict[str, type[ActivityType]]:
    """Activity types by slug: every installed one (for authoring) when neither ``site`` nor ``request`` is
    given, otherwise only those of the plugins enabled there. Pass ``request`` on pages: it is one query
    per request however many activity blocks the page holds."""
    if request is not None:
        return _activity_types_of(enabled_plugin_ids_for_request(request))
    if site is not None:
        return _activity_types_of(enabled_plugin_ids(site))
    return _activity_types_of(None)


def activity_type_choices() -> list[tuple[str, str]]:
    """(slug, label) pairs for the lesson's activity block; callable so new plugins appear at once."""
    return sorted((slug, str(cls.label)) for slug, cls in activity_types().items())

"""Public interface of the plugin core: configuring a plugin for a Site.

Reading (is it enabled? what does it provide?) is ``registry``; this module is the only write path for
``PluginConfiguration``.
"""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from . import registry
from .models import PluginConfiguration

__all__ = ["PluginConfigurationError", "config_problems", "configure_plugin"]

MAX_CONFIG_CHARS = 20_000


class PluginConfigurationError(ValueError):
    """A configuration that cannot be stored; ``problems`` lists what to fix, in words."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "null"


def config_problems(plugin_id: str, config: Any) -> list[str]:
    """What is wrong with ``config`` for ``plugin_id`` (empty when it may be stored)."""
    spec = registry.installed_plugins().get(plugin_id)
    if spec is None:
        return [_("Plugin “%(id)s” is not installed.") % {"id": plugin_id}]
    if not isinstance(config, dict):
        return [_("The configuration must be a JSON object, e.g. {}.")]
    problems = []
    for key, value in config.items():
        if key not in spec.default_config:
            allowed = ", ".join(sorted(spec.default_config)) or _("none")
            problems.append(_("Unknown setting “%(key)s” (allowed: %(allowed)s).") % {"key": key, "allowed": allowed})
            continue
        default = spec.default_config[key]
        if default is not None and value is not None and _json_type(value) != _json_type(default):
            problems.append(_("Setting “%(key)s” must be a %(type)s.") % {"key": key, "type": _json_type(default)})
    return problems


@transaction.atomic
def configure_plugin(*, site, plugin_id: str, enabled: bool, config: dict | None = None) -> PluginConfiguration:
    """Turn ``plugin_id`` on or off for ``site`` and store its settings there (``None`` keeps them)."""
    existing = PluginConfiguration.objects.select_for_update().filter(site=site, plugin_id=plugin_id).first()
    new_config = (existing.config if existing else {}) if config is None else config
    problems = config_problems(plugin_id, new_config)
    if problems:
        raise PluginConfigurationError(problems)
    row = existing or PluginConfiguration(site=site, plugin_id=plugin_id)
    row.enabled = bool(enabled)
    row.config = new_config
    row.save()
    return row

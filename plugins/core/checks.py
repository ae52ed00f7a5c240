"""System checks: a broken or missing plugin stops ``migrate``/``runserver`` with a message naming it.

plugins.E001 app or plugin.py cannot be found; E002 plugin.py fails to import; E003 ``PLUGIN`` is not a
PluginSpec; E004 duplicate plugin id; E005 an activity type without a slug or not an ActivityType.
No database access: checks run before migrations.
"""
from django.conf import settings
from django.core.checks import Error, register

from . import registry
from .discovery import app_exists, declared_plugin_apps


@register("plugins")
def check_plugins(app_configs=None, **kwargs):
    errors = []
    for app in declared_plugin_apps(getattr(settings, "BUILTIN_PLUGINS", [])):
        if not app_exists(app):
            errors.append(Error(
                f"Plugin app {app!r} is declared but cannot be imported.",
                hint="Install its package, or remove it from BUILTIN_PLUGINS / uninstall the distribution "
                     "that declares it in the 'skills_gansu.plugins' entry-point group.",
                id="plugins.E001",
            ))
    registry.reset()
    for problem in registry.load_problems():
        errors.append(Error(problem.message, hint="See plugins/readme.md for what plugin.py must export.",
                            obj=problem.app, id=problem.code))
    return errors

"""The plugins.E00x system checks name the broken or missing plugin and say what to do."""
import pytest
from django.core.checks import run_checks
from django.test import override_settings

from plugins.core import registry
from plugins.core.checks import check_plugins
from plugins.core.discovery import discover_plugin_apps

SAMPLES = "tests.plugins.samples"


def ids(errors):
    return sorted(error.id for error in errors)


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.reset()
    yield
    registry.reset()


def test_a_clean_plugin_set_passes():
    with override_settings(PLUGIN_APPS=[f"{SAMPLES}.good"], BUILTIN_PLUGINS=[f"{SAMPLES}.good"]):
        assert check_plugins() == []


def test_each_kind_of_breakage_is_reported_with_its_own_id():
    apps = [f"{SAMPLES}.{name}" for name in ("good", "broken", "notspec", "dup", "badtype")]
    apps.append(f"{SAMPLES}.nosuchplugin")
    with override_settings(PLUGIN_APPS=apps, BUILTIN_PLUGINS=[]):
        errors = check_plugins()
        assert ids(errors) == ["plugins.E001", "plugins.E002", "plugins.E003", "plugins.E004", "plugins.E005"]
        by_id = {error.id: error.msg for error in errors}
        assert "nosuchplugin" in by_id["plugins.E001"]
        assert "broken on purpose" in by_id["plugins.E002"]
        assert "must be a plugins.core.interfaces.PluginSpec" in by_id["plugins.E003"]
        assert "'good'" in by_id["plugins.E004"] and "dup" in by_id["plugins.E004"]
        # The platform still runs with the plugins that did load.
        assert list(registry.installed_plugins()) == ["good"]


def test_a_declared_builtin_that_does_not_exist_is_left_out_and_reported():
    missing = "plugins.builtin.does_not_exist"
    assert discover_plugin_apps([missing]) == []
    with override_settings(BUILTIN_PLUGINS=[missing], PLUGIN_APPS=[]):
        errors = check_plugins()
    assert ids(errors) == ["plugins.E001"]
    assert missing in errors[0].msg and "BUILTIN_PLUGINS" in errors[0].hint


def test_the_check_is_registered_with_django():
    with override_settings(PLUGIN_APPS=[f"{SAMPLES}.notspec"], BUILTIN_PLUGINS=[]):
        assert "plugins.E003" in ids(run_checks(tags=["plugins"]))

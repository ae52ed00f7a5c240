"""Installed is not enabled: per-Site configuration, the kill switch, and what each kind returns."""
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.core import api, registry
from plugins.core.models import PluginConfiguration

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_installed_but_not_enabled_until_a_site_turns_it_on(plugin_apps, site, other_site):
    plugin_apps("good")
    assert list(registry.installed_plugins()) == ["good"]
    assert not registry.is_enabled("good", site)
    assert registry.activity_types(site=site) == {}
    assert set(registry.activity_types()) == {"checklist"}  # authoring sees every installed type

    api.configure_plugin(site=site, plugin_id="good", enabled=True)

    assert registry.is_enabled("good", site)
    assert registry.is_enabled("good")  # None means the default site
    assert not registry.is_enabled("good", other_site)
    assert set(registry.activity_types(site=site)) == {"checklist"}
    assert registry.activity_types(site=other_site) == {}


def test_disabling_again(plugin_apps, site):
    plugin_apps("good")
    api.configure_plugin(site=site, plugin_id="good", enabled=True)
    api.configure_plugin(site=site, plugin_id="good", enabled=False)
    assert not registry.is_enabled("good", site)
    assert PluginConfiguration.objects.filter(plugin_id="good").count() == 1


def test_environment_kill_switch_wins_over_the_admin(plugin_apps, site):
    plugin_apps("good", disabled=["good"])
    api.configure_plugin(site=site, plugin_id="good", enabled=True)
    assert not registry.is_enabled("good", site)
    assert registry.enabled_implementations("activity_types", site) == []


def test_enabled_implementations_by_kind(plugin_apps, site):
    plugin_apps("good")
    api.configure_plugin(site=site, plugin_id="good", enabled=True)
    good = registry.installed_plugins()["good"]
    assert registry.enabled_implementations("activity_types", site) == list(good.activity_types)
    assert registry.enabled_implementations("lrs_forwarders", site) == list(good.lrs_forwarders)
    assert registry.enabled_implementations("credit_bank_connectors", site) == []
    with pytest.raises(ValueError, match="Unknown implementation kind"):
        registry.enabled_implementations("payment_gateways", site)


def test_a_stored_row_for_an_uninstalled_plugin_enables_nothing(plugin_apps, site):
    plugin_apps("good")
    PluginConfiguration.objects.create(site=site, plugin_id="gone", enabled=True)
    assert registry.enabled_plugin_ids(site) == set()
    assert not registry.is_enabled("gone", site)


def test_config_is_checked_against_the_default_config_keys(plugin_apps, site):
    plugin_apps("good")
    with pytest.raises(api.PluginConfigurationError) as rejected:
        api.configure_plugin(site=site, plugin_id="good", enabled=True,
                             config={"endpoint": 5, "colour": "red"})
    assert any("endpoint" in problem for problem in rejected.value.problems)
    assert any("colour" in problem and "retries" in problem for problem in rejected.value.problems)
    with pytest.raises(api.PluginConfigurationError):
        api.configure_plugin(site=site, plugin_id="good", enabled=True, config=["not", "an", "object"])
    with pytest.raises(api.PluginConfigurationError, match="not installed"):
        api.configure_plugin(site=site, plugin_id="nope", enabled=True)
    assert not PluginConfiguration.objects.exists()


def test_plugin_config_overlays_the_defaults(plugin_apps, site):
    plugin_apps("good")
    api.configure_plugin(site=site, plugin_id="good", enabled=True, config={"endpoint": "https://lrs.example"})
    assert registry.plugin_config("good", site) == {"endpoint": "https://lrs.example", "retries": 3, "verbose": False}
    # Re-saving without a config keeps the stored one.
    api.configure_plugin(site=site, plugin_id="good", enabled=False)
    assert registry.plugin_config("good", site)["endpoint"] == "https://lrs.example"


def test_one_query_per_request_however_many_blocks(plugin_apps, site, rf, django_assert_num_queries):
    plugin_apps("good")
    api.configure_plugin(site=site, plugin_id="good", enabled=True)
    request = rf.get("/", HTTP_HOST="localhost")
    with django_assert_num_queries(2):  # the Site for the host, then the enabled plugins
        for _ in range(20):
            assert "checklist" in registry.activity_types(request=request)


def test_importing_the_plugin_core_has_no_side_effects():
    """No settings, no database, no app registry needed just to import the plugin core and a plugin."""
    code = ("import plugins.core.interfaces, plugins.core.discovery, plugins.core.registry, "
            "tests.plugins.samples.good.plugin as p; print(p.PLUGIN.id)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "good"


def test_the_kill_switch_is_read_from_the_environment():
    code = "from django.conf import settings; print(settings.SKILLS_GANSU_DISABLED_PLUGINS)"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "lms.settings.test",
           "SKILLS_GANSU_DISABLED_PLUGINS": " video, quiz ,"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['video', 'quiz']"

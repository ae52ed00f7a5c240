"""The "Plugins" settings view in the Wagtail admin: list, enable per site, reject bad configuration."""
import pytest
from django.contrib.auth.models import User

from plugins.core import registry
from plugins.core.models import PluginConfiguration

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root", "root@example.org", "pw-Root-123456")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_lists_installed_plugins_with_version_provides_health_and_problems(plugin_apps, admin_client, site):
    plugin_apps("good", "broken")
    response = admin_client.get("/admin/plugins/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Good plugin" in html and "1.2.3" in html and "checklist" in html
    assert "endpoint is not set" in html  # health
    assert "broken on purpose" in html  # load problem
    assert f"/admin/plugins/{site.pk}/good/" in html


def test_enable_on_a_site_and_store_config(plugin_apps, admin_client, site):
    plugin_apps("good")
    response = admin_client.post(f"/admin/plugins/{site.pk}/good/",
                                 {"enabled": "on", "config": '{"retries": 5}'})
    assert response.status_code == 302
    assert registry.is_enabled("good", site)
    assert PluginConfiguration.objects.get().config == {"retries": 5}


@pytest.mark.parametrize("config, message", [
    ("{not json", "Not valid JSON"),
    ('{"colour": "red"}', "Unknown setting"),
    ('{"retries": "many"}', "must be a number"),
    ("x" * 20_001, "at most 20000"),
])
def test_bad_configuration_is_refused_and_nothing_stored(plugin_apps, admin_client, site, config, message):
    plugin_apps("good")
    response = admin_client.post(f"/admin/plugins/{site.pk}/good/", {"enabled": "on", "config": config})
    assert response.status_code == 200
    assert message in response.content.decode().replace("&quot;", '"')
    assert not PluginConfiguration.objects.exists()


def test_unknown_plugin_or_site_is_404(plugin_apps, admin_client, site):
    plugin_apps("good")
    assert admin_client.get(f"/admin/plugins/{site.pk}/nope/").status_code == 404
    assert admin_client.get("/admin/plugins/9999/good/").status_code == 404


def test_editors_without_the_permission_are_refused(plugin_apps, client, site):
    from django.contrib.auth.models import Permission

    plugin_apps("good")
    editor = User.objects.create_user("editor", password="pw-Editor-123456")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    # Wagtail turns PermissionDenied inside the admin into a redirect to the dashboard with a message.
    for response in (client.get("/admin/plugins/"), client.post(f"/admin/plugins/{site.pk}/good/", {"enabled": "on"})):
        assert response.status_code == 302 and response.url == "/admin/"
    assert not PluginConfiguration.objects.exists()

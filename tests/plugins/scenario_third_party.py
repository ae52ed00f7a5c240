"""Run by test_third_party.py in a child process whose sys.path holds the freshly built ``sg_hello_plugin``.

Not collected on its own (the name does not match ``test_*.py``): without that package it cannot pass.
"""
import pytest
from django.conf import settings
from django.core.checks import run_checks
from wagtail.models import Site

from plugins.core import api, registry
from tests import factories

pytestmark = pytest.mark.django_db

BLOCK = {"activity_type": "hello", "title": "打个招呼", "activity_id": "hi", "config": '{"greeting": "你好，陇原"}'}


def test_discovered_enabled_used_in_a_lesson_and_disabled_again(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assert on the English notice
    # Discovered through the entry point, added to INSTALLED_APPS, loaded cleanly.
    assert "sg_hello_plugin" in settings.PLUGIN_APPS and "sg_hello_plugin" in settings.INSTALLED_APPS
    registry.reset()
    spec = registry.installed_plugins()["hello"]
    assert (spec.name, spec.version, spec.provides()) == ("Hello", "0.1.0", {"activity_types": ["hello"]})
    assert run_checks(tags=["plugins"]) == []
    assert ("hello", "Say hello") in registry.activity_type_choices()

    factories.site_root()
    site = Site.objects.get(is_default_site=True)
    lesson = factories.lesson(factories.unit(factories.course()), body=[("activity", BLOCK)])
    url = lesson.get_url()

    # Installed is not enabled.
    html = client.get(url).content.decode()
    assert "not available" in html and "hello-activity" not in html

    api.configure_plugin(site=site, plugin_id="hello", enabled=True, config={"greeting": "你好，陇原"})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="hello-activity" data-activity="hi">你好，陇原</p>' in html

    api.configure_plugin(site=site, plugin_id="hello", enabled=False)
    html = client.get(url).content.decode()
    assert "not available" in html and "hello-activity" not in html

import pytest
from django.test import override_settings
from django.utils import translation

from plugins.core import registry

SAMPLES = "tests.plugins.samples"


@pytest.fixture(autouse=True)
def english():
    """Assert on the English texts; the Chinese catalogue is checked separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def plugin_apps():
    """Run a test with the given plugin apps installed (and the registry re-read before and after)."""
    overrides = []

    def install(*apps, disabled=()):
        override = override_settings(PLUGIN_APPS=[f"{SAMPLES}.{app}" if "." not in app else app for app in apps],
                                     SKILLS_GANSU_DISABLED_PLUGINS=list(disabled))
        override.enable()
        overrides.append(override)
        registry.reset()

    yield install
    for override in reversed(overrides):
        override.disable()
    registry.reset()


@pytest.fixture
def site(db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


@pytest.fixture
def other_site(db, site):
    from wagtail.models import Site

    return Site.objects.create(hostname="centre.example.org", port=80, root_page=site.root_page)

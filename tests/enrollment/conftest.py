import pytest
from django.utils import translation

from tests.progress.helpers import ensure_wagtail_root


@pytest.fixture(autouse=True)
def _wagtail_root(request):
    """Wagtail's root page comes from a migration; a transactional test's flush removes it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    ensure_wagtail_root()


@pytest.fixture(autouse=True)
def english():
    """Assert on the English texts; the Chinese catalogue is checked separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Assert on the English texts; the Chinese catalogue is checked separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client

import pytest

from tests.search.helpers import ensure_wagtail_root


@pytest.fixture(autouse=True)
def _wagtail_root(request):
    """Transactional tests anywhere in the suite flush Wagtail's root page, root collection and locale."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    ensure_wagtail_root()

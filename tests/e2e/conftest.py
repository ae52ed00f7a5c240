"""Browser test helpers. The ``browser`` and ``phone`` fixtures live in ``tests/conftest.py`` (one
session-wide Playwright for the whole run: a second sync Playwright in the same thread is refused).

Playwright's sync API driving Debian's chromium against pytest-django's live server.

    def test_x(live_server, phone):       # a 360x640 page, fresh cookies per test
        phone.goto(live_server.url + "/")

Playwright's sync API runs an asyncio event loop in this thread, which makes Django refuse database
access from "async context"; the tests and the live server are still synchronous, hence the switch.
Transactional tests (``live_server``) empty the database between tests, Wagtail's root page and
default Locale and root Collection included: ``wagtail_root()`` puts them back.
"""
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: F401 (re-exported for the browser tests)


def wagtail_root():
    """Wagtail's tree root and default Locale, recreated after a transactional test flushed them."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def no_horizontal_scroll(page) -> int:
    """The document's scroll width, to compare with the viewport's."""
    return page.evaluate("document.documentElement.scrollWidth")

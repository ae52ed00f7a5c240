"""Browser fixtures: Playwright's sync API driving Debian's chromium against pytest-django's live server.

    def test_x(live_server, phone):       # a 360x640 page, fresh cookies per test
        phone.goto(live_server.url + "/")

Playwright's sync API runs an asyncio event loop in this thread, which makes Django refuse database
access from "async context"; the tests and the live server are still synchronous, hence the switch.
Transactional tests (``live_server``) empty the database between tests, Wagtail's root page and
default Locale and root Collection included: ``wagtail_root()`` puts them back.
"""
import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 360, "height": 640}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash tests/run`, which installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page the size of a small Android phone, in Chinese, with touch."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


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

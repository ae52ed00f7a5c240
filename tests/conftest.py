"""Shared fixtures. Tests run on SQLite unless DATABASE_URL points at PostgreSQL (CI runs both).

Tests marked ``postgres`` need PostgreSQL features (row locks across threads, COPY, ...) and are skipped
on SQLite rather than faked.
"""
import os
from pathlib import Path

import pytest
from django.db import connection

# Playwright's sync API runs an asyncio loop in the test thread; the tests themselves stay synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _forget_recent_learner_days():
    """Reports remember the learner-days this process stored (``lms.reports.api``); a test's database is
    emptied or rolled back after it, so the next test starts without that memory, as a new process would."""
    from lms.reports.api import _recent_learner_days

    _recent_learner_days.clear()
    yield
    _recent_learner_days.clear()


@pytest.fixture(autouse=True)
def _let_django_empty_the_ledger_on_sqlite(request):
    """The credit ledger refuses DELETE (append-only triggers). On PostgreSQL, Django empties tables
    between transactional tests with TRUNCATE, which those triggers do not see; on SQLite it deletes
    row by row, so the delete trigger is lifted just for that clean-up and put back for the next test.
    This teardown runs before the database fixture's flush because it is set up after it.
    """
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    if not transactional or connection.vendor != "sqlite":
        yield
        return
    request.getfixturevalue("transactional_db")
    _restore_ledger_triggers()
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS credits_ledger_no_delete")


def _restore_ledger_triggers():
    from importlib import import_module

    triggers = import_module("lms.credits.migrations.0002_ledger_append_only")

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND name='credits_ledger_no_delete'")
        if cursor.fetchone() is None:
            for statement in triggers.SQLITE_UP:
                if "no_delete" in statement:
                    cursor.execute(statement)


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

"""Shared fixtures. Tests run on SQLite unless DATABASE_URL points at PostgreSQL (CI runs both).

Tests marked ``postgres`` need PostgreSQL features (row locks across threads, COPY, ...) and are skipped
on SQLite rather than faked.
"""
import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)

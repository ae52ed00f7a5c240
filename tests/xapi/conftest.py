"""Fixtures for the LRS tests: a client with credentials and a ``requests`` session on the live server."""
from __future__ import annotations

import uuid

import pytest
import requests

from lms.xapi.clients import create_client

SECRET = "s3cret-for-tests"


def statement(**overrides) -> dict:
    """A minimal valid statement; keyword arguments replace top-level properties."""
    base = {
        "actor": {"objectType": "Agent", "name": "李华", "mbox": "mailto:lihua@example.cn"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": "https://skills.gansu.edu.cn/xapi/activities/course/C001",
                   "definition": {"name": {"zh-CN": "电工基础"}}},
    }
    base.update(overrides)
    return base


def new_id() -> str:
    return str(uuid.uuid4())


class XAPISession(requests.Session):
    """requests.Session that prefixes the live server's /xapi/ and sends the version header."""

    def __init__(self, base: str, key: str | None, secret: str | None, version: str = "1.0.3"):
        super().__init__()
        self.base = base.rstrip("/") + "/xapi/"
        if key:
            self.auth = (key, secret)
        if version:
            self.headers["X-Experience-API-Version"] = version
        self.headers["Accept-Language"] = "en"  # messages are asserted in English; zh-Hans is the default

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base + url.lstrip("/"), *args, **kwargs)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Per-process caches (verified clients, plugin switch) must not outlive a test's database."""
    from lms.xapi.rest_api import common
    from plugins.builtin.lrs_forwarder import outbox

    common._clients.clear()
    outbox._enabled_until[0] = 0.0
    yield
    common._clients.clear()
    outbox._enabled_until[0] = 0.0


@pytest.fixture
def lrs_client(db):
    client, _ = create_client(name="Test content", key="test-key", secret=SECRET, scopes=["write", "read_all"])
    return client


@pytest.fixture
def make_client(db):
    def make(key: str, scopes: list[str]):
        client, _ = create_client(name=f"client {key}", key=key, secret=SECRET, scopes=scopes)
        return client

    return make


@pytest.fixture
def xapi(live_server, lrs_client):
    with XAPISession(live_server.url, lrs_client.key, SECRET) as session:
        yield session


@pytest.fixture
def xapi_as(live_server):
    def make(key: str | None, secret: str | None = SECRET, version: str = "1.0.3") -> XAPISession:
        return XAPISession(live_server.url, key, secret, version)

    return make

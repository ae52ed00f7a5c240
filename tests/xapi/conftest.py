"""Fixtures for the LRS tests: a client with credentials and a ``requests`` session on the live server."""
from __future__ import annotations

import uuid

import pytest
import redis
import requests
from celery import current_app

from lms.xapi.clients import create_client

SECRET = "s3cret-for-tests"
BROKER = "redis://127.0.0.1:6379/13"  # the real Redis; each test that needs a queue gets its own in it


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


def use_broker(url: str, queue: str) -> None:
    """Point this process's Celery app at ``url`` as a deployment with a broker would be (not eager)."""
    # Django's settings reach Celery under the CELERY_ namespace, and those keys win over the plain ones.
    current_app.conf.update(CELERY_BROKER_URL=url, CELERY_TASK_DEFAULT_QUEUE=queue, CELERY_TASK_ALWAYS_EAGER=False)
    # The app caches its connection pools by the first broker URL it used: drop them so the new one is used.
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def broker():
    """A queue of this test's own on the real Redis; restores eager Celery afterwards."""
    client = redis.Redis.from_url(BROKER)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("These tests need Redis on 127.0.0.1:6379 (the broker); start it and run them again.")
    queue = f"xapi-test-{uuid.uuid4().hex[:8]}"
    keys = ("CELERY_BROKER_URL", "CELERY_TASK_DEFAULT_QUEUE", "CELERY_TASK_ALWAYS_EAGER")
    before = {key: current_app.conf.get(key) for key in keys}
    use_broker(BROKER, queue)
    yield client, queue
    current_app.conf.update(before)
    current_app._pool = None
    current_app.amqp._producer_pool = None
    client.delete(queue, f"_kombu.binding.{queue}")

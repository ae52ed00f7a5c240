"""The platform as the receiving hub: HMAC checked, each entry stored once, clear refusals."""
import json
import time

import pytest

from lms.credits import feed
from lms.credits.models import ReceivedEntry

pytestmark = pytest.mark.django_db
SECRET = "hub-secret-for-inst-a"


@pytest.fixture(autouse=True)
def hub(settings):
    settings.CREDIT_BANK_HUB_SENDERS = {"inst-a": SECRET}


def _post(client, payload, *, key=None, secret=SECRET, sender="inst-a", timestamp=None, body=None):
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = timestamp or str(int(time.time()))
    return client.post(
        "/credits/hub/entries", body, content_type="application/json",
        headers={feed.SENDER_HEADER: sender, feed.TIMESTAMP_HEADER: timestamp,
                 feed.IDEMPOTENCY_HEADER: key or payload.get("idempotencyKey", ""),
                 feed.SIGNATURE_HEADER: feed.sign_body(secret, timestamp, body)},
    )


def test_an_entry_is_stored_once_however_often_it_is_sent(client):
    payload = {"idempotencyKey": "completion:42", "credits": "2.00"}
    first = _post(client, payload)
    second = _post(client, payload)
    assert (first.status_code, first.json()["status"]) == (201, "stored")
    assert (second.status_code, second.json()["status"]) == (200, "duplicate")
    assert ReceivedEntry.objects.get().payload == payload


@pytest.mark.parametrize("kwargs, status, message", [
    ({"secret": "wrong"}, 401, "Bad or expired signature"),
    ({"timestamp": str(int(time.time()) - 3600)}, 401, "Bad or expired signature"),
    ({"sender": "inst-z"}, 403, "Unknown sender"),
    ({"key": "something-else"}, 400, "must equal the entry's idempotencyKey"),
    ({"body": b"not json"}, 400, "not JSON"),
])
def test_bad_requests_are_refused_with_a_reason(client, kwargs, status, message):
    response = _post(client, {"idempotencyKey": "k1"}, **kwargs)
    assert response.status_code == status and message in response.json()["error"]
    assert not ReceivedEntry.objects.exists()


def test_oversized_bodies_are_refused(client):
    response = _post(client, {"idempotencyKey": "k", "pad": "x" * (feed.MAX_BODY_BYTES + 1)})
    assert response.status_code == 413


def test_only_post_is_accepted(client):
    assert client.get("/credits/hub/entries").status_code == 405

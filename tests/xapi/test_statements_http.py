"""The Statement resource over real HTTP (live server + requests)."""
from __future__ import annotations

import json

import pytest

from .conftest import new_id, statement

pytestmark = pytest.mark.django_db(transaction=True)

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"


def test_post_put_get_and_the_xapi_headers(xapi):
    posted = xapi.post("statements", json=[statement(), statement()])
    assert posted.status_code == 200, posted.text
    ids = posted.json()
    assert len(ids) == 2
    assert posted.headers["X-Experience-API-Version"] == "1.0.3"

    given = new_id()
    put = xapi.put("statements", params={"statementId": given}, json=statement())
    assert put.status_code == 204
    again = xapi.put("statements", params={"statementId": given}, json=statement())
    assert again.status_code == 204  # same id, same content: accepted silently
    other = xapi.put("statements", params={"statementId": given}, json=statement(verb={"id": ATTEMPTED}))
    assert other.status_code == 409 and given in other.json()["error"]

    got = xapi.get("statements", params={"statementId": given})
    assert got.status_code == 200 and got.json()["id"] == given
    assert got.headers["X-Experience-API-Consistent-Through"].endswith("Z")
    assert "Last-Modified" in got.headers
    head = xapi.head("statements", params={"statementId": given})
    assert head.status_code == 200 and head.content == b""
    assert xapi.get("statements", params={"statementId": new_id()}).status_code == 404


BAD_STATEMENTS = [
    (statement(actor={"mbox": "lihua@example.cn"}), "statement.actor.mbox: must start with 'mailto:'"),
    (statement(verb={"id": "completed"}), "statement.verb.id: must be an absolute IRI"),
    (statement(object={"id": "x", "objectType": "Activity"}), "statement.object.id: must be an absolute IRI"),
    (statement(result={"score": {"scaled": 1.5}}), "statement.result.score.scaled: must be between -1 and 1"),
    (statement(result={"duration": "90 minutes"}), "statement.result.duration: must be an ISO 8601 duration"),
    (statement(timestamp="yesterday"), "statement.timestamp: must be an ISO 8601 timestamp"),
    (statement(id="not-a-uuid"), "statement.id: must be a UUID"),
    (statement(context={"registration": "abc"}), "statement.context.registration: must be a UUID"),
    (statement(verb={"id": COMPLETED, "display": {"english!": "x"}}),
     "statement.verb.display.english!: is not an RFC 5646 language tag"),
    (statement(extra=1), "statement.extra: is not a property allowed here"),
    ({"verb": {"id": COMPLETED}, "object": {"id": "http://x.cn/a"}}, "statement.actor: is required"),
]


def test_a_bad_statement_gets_400_naming_the_property(xapi):
    # one live server for all cases: each transactional test costs a database flush
    for body, message in BAD_STATEMENTS:
        response = xapi.post("statements", json=body)
        assert response.status_code == 400, body
        assert response.json()["error"].startswith(message), (response.json(), message)


def test_a_batch_with_one_bad_statement_stores_nothing(xapi):
    good = new_id()
    response = xapi.post("statements", json=[statement(id=good), statement(actor={"mbox": "nobody"})])
    assert response.status_code == 400
    assert response.json()["error"].startswith("statements[1].actor.mbox")
    assert xapi.get("statements", params={"statementId": good}).status_code == 404


def test_malformed_requests_get_clear_errors(xapi, xapi_as, lrs_client):
    assert xapi.post("statements", data=b"{not json", headers={"Content-Type": "application/json"}).status_code == 400
    response = xapi.post("statements", data=b"x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400 and "Content-Type" in response.json()["error"]
    response = xapi.get("statements", params={"agent": '{"mbox": "x"}'})
    assert response.status_code == 400 and response.json()["error"].startswith("agent.mbox")
    response = xapi.get("statements", params={"colour": "blue"})
    assert response.status_code == 400 and response.json()["error"].startswith("colour")
    response = xapi.get("statements", params={"statementId": new_id(), "verb": COMPLETED})
    assert response.status_code == 400 and "cannot be combined" in response.json()["error"]
    assert xapi.get("statements", params={"more": "tampered"}).status_code == 400
    assert xapi.get("statements", params={"limit": "-1"}).status_code == 400
    chinese = xapi.get("statements", params={"limit": "-1"}, headers={"Accept-Language": "zh-hans"})
    assert chinese.json()["error"] == "limit：必须是非负整数"

    unversioned = xapi_as(lrs_client.key, version="")
    assert unversioned.get("statements").status_code == 400
    future = xapi_as(lrs_client.key, version="3.0.0")
    response = future.get("statements")
    assert response.status_code == 400 and "X-Experience-API-Version" in response.json()["error"]
    assert xapi_as(lrs_client.key, version="2.0.0").get("statements").headers["X-Experience-API-Version"] == "2.0.0"


def test_oversized_requests_get_413(xapi, settings):
    from lms.xapi.rest_api import common

    big = json.dumps([statement(result={"response": "x" * (common.MAX_BODY_BYTES + 10)})])
    response = xapi.post("statements", data=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_credentials_and_scopes(xapi_as, make_client):
    make_client("writer", ["write"])
    make_client("reader", ["read_all"])
    make_client("own", ["write", "read_own"])
    anonymous = xapi_as(None)
    response = anonymous.get("statements")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Basic")
    assert xapi_as("writer", "wrong-secret").get("statements").status_code == 401
    assert xapi_as("nobody").get("statements").status_code == 401

    writer, reader, own = xapi_as("writer"), xapi_as("reader"), xapi_as("own")
    mine = own.post("statements", json=statement()).json()[0]
    theirs = writer.post("statements", json=statement()).json()[0]
    assert writer.get("statements").status_code == 403
    assert reader.post("statements", json=statement()).status_code == 403
    listed = [s["id"] for s in own.get("statements").json()["statements"]]
    assert mine in listed and theirs not in listed
    assert own.get("statements", params={"statementId": theirs}).status_code == 404
    everything = [s["id"] for s in reader.get("statements").json()["statements"]]
    assert {mine, theirs} <= set(everything)
    stored = reader.get("statements", params={"statementId": mine}).json()
    assert stored["authority"]["account"]["name"] == "own"


def test_signed_in_learner_reads_only_their_own_statements(live_server, xapi, django_user_model, settings):
    import requests

    learner = django_user_model.objects.create_user("learner", password="pw-for-tests-1")
    me = {"account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": str(learner.pk)}}
    mine = xapi.post("statements", json=statement(actor=me)).json()[0]
    other = xapi.post("statements", json=statement()).json()[0]

    from django.test import Client

    browser = Client()
    browser.force_login(learner)
    session = requests.Session()
    session.cookies.set("sessionid", browser.cookies["sessionid"].value)
    session.headers["X-Experience-API-Version"] = "1.0.3"
    listed = session.get(live_server.url + "/xapi/statements", timeout=30)
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()["statements"]] == [mine]
    hidden = session.get(live_server.url + "/xapi/statements", params={"statementId": other}, timeout=30)
    assert hidden.status_code == 404
    posted = session.post(live_server.url + "/xapi/statements", json=statement(actor=me), timeout=30)
    assert posted.status_code == 403

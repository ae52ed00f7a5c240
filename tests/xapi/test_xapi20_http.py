"""xAPI 2.0 (IEEE 9274.1.1) behaviour, over real HTTP, where the request's X-Experience-API-Version asks for it;
the same requests as 1.0.3 keep the 1.0.3 behaviour."""
from __future__ import annotations

import base64
import json

import pytest

from lms.xapi.models import Statement, StatementRelation
from lms.xapi.rest_api import common

from .conftest import SECRET, new_id, statement
from .test_attachments_http import _sign, attachment, multipart, rsa_key  # noqa: F401  (rsa_key is a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

COACH = {"objectType": "Agent", "mbox": "mailto:coach@example.cn"}
TEAM = {"objectType": "Group", "mbox": "mailto:team-a@example.cn", "name": "甲队",
        "member": [{"objectType": "Agent", "mbox": "mailto:player-1@example.cn"}]}
TYPE = "https://skills.gansu.edu.cn/xapi/activity-types/role/coach"


def context_with_others() -> dict:
    return {
        "contextAgents": [{"objectType": "contextAgent", "agent": COACH, "relevantTypes": [TYPE]}],
        "contextGroups": [{"objectType": "contextGroup", "group": TEAM}],
    }


@pytest.fixture
def xapi2(xapi_as, lrs_client):
    with xapi_as(lrs_client.key, version="2.0.0") as session:
        yield session


def test_context_agents_and_groups_are_stored_under_2_0(xapi2):
    given = new_id()
    assert xapi2.put("statements", params={"statementId": given},
                     json=statement(context=context_with_others())).status_code == 204
    stored = xapi2.get("statements", params={"statementId": given}).json()
    assert stored["context"] == context_with_others()
    sub = {"objectType": "SubStatement", "actor": {"mbox": "mailto:a@example.cn"},
           "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
           "object": {"id": "https://skills.gansu.edu.cn/xapi/activities/course/C002"},
           "context": context_with_others()}
    assert xapi2.post("statements", json=statement(object=sub)).status_code == 200


def test_context_agents_are_refused_from_1_0_clients_with_a_hint(xapi):
    response = xapi.post("statements", json=statement(context=context_with_others()))
    assert response.status_code == 400
    assert response.json()["error"].startswith("statement.context.contextAgents: is an xAPI 2.0 property")
    assert not Statement.objects.exists()


@pytest.mark.parametrize(("context", "path"), [
    ({"contextAgents": {"objectType": "contextAgent", "agent": COACH}}, "context.contextAgents: must be an array"),
    ({"contextAgents": [{"agent": COACH}]}, "context.contextAgents[0].objectType: is required"),
    ({"contextAgents": [{"objectType": "Agent", "agent": COACH}]}, "context.contextAgents[0].objectType: must be"),
    ({"contextAgents": [{"objectType": "contextAgent", "agent": TEAM}]},
     "context.contextAgents[0].agent.objectType: a Group is not allowed"),
    ({"contextAgents": [{"objectType": "contextAgent", "agent": COACH, "relevantTypes": []}]},
     "context.contextAgents[0].relevantTypes: must be a non-empty array"),
    ({"contextAgents": [{"objectType": "contextAgent", "agent": COACH, "relevantTypes": ["abc"]}]},
     "context.contextAgents[0].relevantTypes[0]: must be an absolute IRI"),
    ({"contextGroups": [{"objectType": "contextGroup", "group": {"key": "x"}}]},
     "context.contextGroups[0].group: must be a Group"),
    ({"contextGroups": [{"objectType": "contextGroup", "group": TEAM, "member": []}]},
     "context.contextGroups[0].member: is not a property allowed here"),
])
def test_invalid_context_agents_name_the_property(xapi2, context, path):
    response = xapi2.post("statements", json=statement(context=context))
    assert response.status_code == 400
    assert response.json()["error"].startswith("statement." + path), response.json()
    assert not Statement.objects.exists()


def test_related_agents_matches_context_agents_and_groups(xapi2):
    with_others = new_id()
    plain = new_id()
    xapi2.post("statements", json=[statement(id=with_others, context=context_with_others()), statement(id=plain)])

    def found(agent: dict, related: bool) -> list[str]:
        params = {"agent": json.dumps(agent), "related_agents": str(related).lower()}
        return [s["id"] for s in xapi2.get("statements", params=params).json()["statements"]]

    assert found(COACH, True) == [with_others]
    assert found({"mbox": "mailto:team-a@example.cn", "objectType": "Group"}, True) == [with_others]
    assert found(TEAM["member"][0], True) == [with_others]  # a member of a context group, like a team's
    assert found(COACH, False) == []  # without related_agents only the actor (or agent object) matches
    keys = set(StatementRelation.objects.values_list("key", flat=True))
    assert {"mbox:mailto:coach@example.cn", "mbox:mailto:team-a@example.cn"} <= keys


def test_state_put_without_precondition_may_create_but_not_replace_under_2_0(xapi2, xapi):
    params = {"activityId": "https://skills.gansu.edu.cn/xapi/activities/course/C001",
              "agent": json.dumps({"mbox": "mailto:lihua@example.cn"}), "stateId": "bookmark"}
    created = xapi2.put("activities/state", params=params, json={"page": 1})
    assert created.status_code == 204
    blind = xapi2.put("activities/state", params=params, json={"page": 9})
    assert blind.status_code == 409 and "If-Match" in blind.json()["error"]
    assert xapi2.get("activities/state", params=params).json() == {"page": 1}  # unchanged
    stale = xapi2.put("activities/state", params=params, json={"page": 9}, headers={"If-Match": '"1234"'})
    assert stale.status_code == 412
    matched = xapi2.put("activities/state", params=params, json={"page": 2},
                        headers={"If-Match": created.headers["ETag"]})
    assert matched.status_code == 204
    assert xapi2.post("activities/state", params=params, json={"seen": True}).status_code == 204  # POST merges
    # A 1.0.3 client keeps 1.0.3's rule: State is not under concurrency control.
    assert xapi.put("activities/state", params=params, json={"page": 3}).status_code == 204
    assert xapi.get("activities/state", params=params).json() == {"page": 3}


def test_alternate_request_syntax_is_refused_under_2_0(xapi_as, lrs_client):
    auth = "Basic " + base64.b64encode(f"{lrs_client.key}:{SECRET}".encode()).decode()
    anonymous = xapi_as(None, version="")
    form = {"Authorization": auth, "X-Experience-API-Version": "2.0.0", "statementId": new_id(),
            "content": json.dumps(statement())}
    response = anonymous.post("statements?method=PUT", data=form)
    assert response.status_code == 400
    assert "xAPI 2.0 has no alternate request syntax" in response.json()["error"]
    assert response.headers["X-Experience-API-Version"] == "2.0.0"
    by_header = xapi_as(lrs_client.key, version="2.0.0").post("statements?method=GET", data={"limit": "1"})
    assert by_header.status_code == 400
    assert not Statement.objects.exists()
    form["X-Experience-API-Version"] = "1.0.3"  # still there for 1.0.x clients
    assert anonymous.post("statements?method=PUT", data=form).status_code == 204


def test_error_responses_carry_the_requested_version(xapi_as, lrs_client, monkeypatch):
    assert xapi_as("nobody", version="2.0.0").get("statements").headers["X-Experience-API-Version"] == "2.0.0"
    assert xapi_as("nobody", version="1.0.1").get("statements").headers["X-Experience-API-Version"] == "1.0.3"
    missing = xapi_as(lrs_client.key, version="")
    response = missing.get("statements")
    assert response.status_code == 400 and response.headers["X-Experience-API-Version"] == "1.0.3"
    unknown = xapi_as(lrs_client.key, version="3.0.0").get("statements")
    assert unknown.status_code == 400 and "3.0.0 is not supported" in unknown.json()["error"]
    monkeypatch.setattr(common, "DEFAULT_VERSION", "2.0.0")  # XAPI_DEFAULT_VERSION=2.0.0
    response = missing.get("statements")
    assert response.status_code == 400 and response.headers["X-Experience-API-Version"] == "2.0.0"


def test_a_2_0_batch_may_not_repeat_an_id(xapi2, xapi):
    given = new_id()
    same = statement(id=given)
    response = xapi2.post("statements", json=[statement(), same, same])
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"statements[2].id: the batch uses id {given} more than once")
    assert not Statement.objects.exists()  # the whole batch is refused
    assert xapi.post("statements", json=[same, same]).json() == [given, given]  # 1.0.3: kept once
    assert Statement.objects.filter(statement_id=given).count() == 1


def _signed(original: dict, signed_form: dict, key) -> tuple[bytes, dict]:
    jws = _sign(signed_form, key)
    sent = {**original, "attachments": [attachment(jws, "http://adlnet.gov/expapi/attachments/signature",
                                                   "application/octet-stream")]}
    return multipart([sent], [("application/octet-stream", jws)])


def test_durations_are_compared_to_hundredths_of_a_second(xapi2, rsa_key):  # noqa: F811
    sent = statement(id=new_id(), result={"duration": "P1DT12H36M0.1237S"})
    body, headers = _signed(sent, {**sent, "result": {"duration": "P1DT12H36M0.12S"}}, rsa_key)
    assert xapi2.post("statements", data=body, headers=headers).status_code == 200
    other = statement(id=new_id(), result={"duration": "P1DT12H36M0.1237S"})
    body, headers = _signed(other, {**other, "result": {"duration": "P1DT12H36M0.13S"}}, rsa_key)
    response = xapi2.post("statements", data=body, headers=headers)
    assert response.status_code == 400 and "does not match" in response.json()["error"]
    # Re-sending a stored statement: the same comparison.
    given = new_id()
    assert xapi2.put("statements", params={"statementId": given},
                     json=statement(result={"duration": "PT5.129S"})).status_code == 204
    assert xapi2.put("statements", params={"statementId": given},
                     json=statement(result={"duration": "PT5.12S"})).status_code == 204
    assert xapi2.put("statements", params={"statementId": given},
                     json=statement(result={"duration": "PT5.13S"})).status_code == 409
    stored = xapi2.get("statements", params={"statementId": given}).json()
    assert stored["result"]["duration"] == "PT5.129S"  # stored as sent

"""State, Activity Profile and Agent Profile documents over real HTTP: ETags, preconditions, JSON merge."""
from __future__ import annotations

import hashlib
import json

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVITY = "https://skills.gansu.edu.cn/xapi/activities/course/C001/lesson/7"
AGENT = json.dumps({"mbox": "mailto:lihua@example.cn"})


def test_state_put_get_merge_list_delete(xapi):
    where = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
    assert xapi.put("activities/state", params=where, json={"page": 3}).status_code == 204
    got = xapi.get("activities/state", params=where)
    assert got.json() == {"page": 3}
    assert got.headers["ETag"] == f'"{hashlib.sha1(got.content).hexdigest()}"'
    assert xapi.post("activities/state", params=where, json={"seconds": 40}).status_code == 204
    assert xapi.get("activities/state", params=where).json() == {"page": 3, "seconds": 40}
    merge_text = xapi.post("activities/state", params=where, data=b"plain", headers={"Content-Type": "text/plain"})
    assert merge_text.status_code == 400

    registration = "8f7e3c52-8b0e-4c3b-9d55-0d7f1b6a2c11"
    other = {**where, "stateId": "progress", "registration": registration}
    xapi.put("activities/state", params=other, data=b"\x00\x01", headers={"Content-Type": "application/octet-stream"})
    listing = {"activityId": ACTIVITY, "agent": AGENT}
    assert xapi.get("activities/state", params=listing).json() == ["bookmark"]
    assert xapi.get("activities/state", params={**listing, "registration": registration}).json() == ["progress"]
    assert xapi.get("activities/state", params={**other}).content == b"\x00\x01"

    assert xapi.delete("activities/state", params=listing).status_code == 204
    assert xapi.get("activities/state", params=where).status_code == 404
    assert xapi.get("activities/state", params=other).status_code == 200  # another registration


def test_state_rejects_bad_parameters(xapi):
    assert xapi.get("activities/state", params={"agent": AGENT}).json()["error"].startswith("activityId")
    bad_agent = xapi.get("activities/state", params={"activityId": ACTIVITY, "agent": '{"mbox": "x"}'})
    assert bad_agent.status_code == 400 and bad_agent.json()["error"].startswith("agent.mbox")
    bad_json = xapi.put("activities/state", params={"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"},
                        data=b"{", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400
    bad_registration = xapi.get("activities/state", params={"activityId": ACTIVITY, "agent": AGENT,
                                                            "registration": "nope"})
    assert bad_registration.status_code == 400


@pytest.mark.parametrize(("resource", "where"), [
    ("activities/profile", {"activityId": ACTIVITY, "profileId": "syllabus"}),
    ("agents/profile", {"agent": AGENT, "profileId": "preferences"}),
])
def test_profiles_use_optimistic_concurrency(xapi, resource, where):
    assert xapi.put(resource, params=where, json={"v": 1}).status_code == 400  # no precondition, nothing there
    created = xapi.put(resource, params=where, json={"v": 1}, headers={"If-None-Match": "*"})
    assert created.status_code == 204
    etag = xapi.get(resource, params=where).headers["ETag"]
    assert xapi.put(resource, params=where, json={"v": 2}, headers={"If-None-Match": "*"}).status_code == 412
    assert xapi.put(resource, params=where, json={"v": 2}).status_code == 409
    assert xapi.put(resource, params=where, json={"v": 2}, headers={"If-Match": '"0000"'}).status_code == 412
    assert xapi.get(resource, params=where).json() == {"v": 1}  # nothing changed by the refused writes
    assert xapi.put(resource, params=where, json={"v": 2}, headers={"If-Match": etag}).status_code == 204
    assert xapi.post(resource, params=where, json={"w": 3}).status_code == 204
    assert xapi.get(resource, params=where).json() == {"v": 2, "w": 3}
    listing = {k: v for k, v in where.items() if k != "profileId"}
    assert xapi.get(resource, params=listing).json() == [where["profileId"]]
    assert xapi.delete(resource, params=where, headers={"If-Match": '"0000"'}).status_code == 412
    assert xapi.delete(resource, params=where).status_code == 204
    assert xapi.get(resource, params=where).status_code == 404

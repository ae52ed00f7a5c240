"""GET /xapi/statements filters, formats and `more` paging over real HTTP."""
from __future__ import annotations

import pytest

from .conftest import new_id, statement

pytestmark = pytest.mark.django_db(transaction=True)

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/C001"
LESSON = COURSE + "/lesson/7"
WANG = {"objectType": "Agent", "mbox": "mailto:wang@example.cn"}
TEACHER = {"objectType": "Agent", "mbox": "mailto:teacher@example.cn"}


def ids_of(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["statements"]]


def test_each_filter(xapi):
    registration = new_id()
    s1 = xapi.post("statements", json=statement(actor=WANG, verb={"id": ATTEMPTED})).json()[0]
    s2 = xapi.post("statements", json=statement(
        actor=WANG, object={"id": LESSON},
        context={"registration": registration, "instructor": TEACHER,
                 "contextActivities": {"parent": {"id": COURSE}}})).json()[0]
    s3 = xapi.post("statements", json=statement(object=TEACHER)).json()[0]
    import json as _json

    agent = _json.dumps(WANG)
    assert ids_of(xapi.get("statements", params={"agent": agent})) == [s2, s1]
    assert ids_of(xapi.get("statements", params={"agent": agent, "verb": ATTEMPTED})) == [s1]
    assert ids_of(xapi.get("statements", params={"activity": LESSON})) == [s2]
    assert ids_of(xapi.get("statements", params={"activity": COURSE, "related_activities": "true"}))[0] == s2
    assert s2 not in ids_of(xapi.get("statements", params={"activity": COURSE}))
    assert ids_of(xapi.get("statements", params={"registration": registration})) == [s2]
    teacher = _json.dumps(TEACHER)
    assert ids_of(xapi.get("statements", params={"agent": teacher})) == [s3]
    assert ids_of(xapi.get("statements", params={"agent": teacher, "related_agents": "true"})) == [s3, s2]
    assert ids_of(xapi.get("statements", params={"agent": agent, "ascending": "true"})) == [s1, s2]

    stored = xapi.get("statements", params={"statementId": s1}).json()["stored"]
    assert ids_of(xapi.get("statements", params={"agent": agent, "since": stored})) == [s2]
    assert ids_of(xapi.get("statements", params={"agent": agent, "until": stored})) == [s1]


def test_voided_statements_and_statement_references(xapi):
    target = xapi.post("statements", json=statement(actor=WANG)).json()[0]
    voiding = xapi.post("statements", json=statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"}, object={"objectType": "StatementRef", "id": target}
    )).json()[0]
    assert xapi.get("statements", params={"statementId": target}).status_code == 404
    assert xapi.get("statements", params={"voidedStatementId": target}).json()["id"] == target
    import json as _json

    # The voided statement is gone from queries, but the statement targeting it is returned with it.
    assert ids_of(xapi.get("statements", params={"agent": _json.dumps(WANG)})) == [voiding]
    again = xapi.post("statements", json=statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"}, object={"objectType": "StatementRef", "id": voiding}))
    assert again.status_code == 400


def test_more_links_are_stable_keyset_cursors(xapi):
    ids = xapi.post("statements", json=[statement(actor=WANG) for _ in range(7)]).json()
    import json as _json

    seen, url = [], None
    page = xapi.get("statements", params={"agent": _json.dumps(WANG), "limit": 3, "ascending": "true"})
    while True:
        body = page.json()
        seen.extend(s["id"] for s in body["statements"])
        if not body["more"]:
            break
        url = body["more"]
        assert url.startswith("/xapi/statements?more=")
        # a statement arriving meanwhile does not shift the pages already handed out
        xapi.post("statements", json=statement())
        page = xapi.get(url.removeprefix("/xapi/"))
    assert seen == ids


def test_formats(xapi):
    given = xapi.post("statements", json=statement(
        verb={"id": COMPLETED, "display": {"en-US": "completed", "zh-CN": "完成"}})).json()[0]
    ids = xapi.get("statements", params={"statementId": given, "format": "ids"}).json()
    assert ids["actor"] == {"objectType": "Agent", "mbox": "mailto:lihua@example.cn"}
    assert ids["object"] == {"id": COURSE} and ids["verb"] == {"id": COMPLETED}
    canonical = xapi.get("statements", params={"statementId": given, "format": "canonical"},
                         headers={"Accept-Language": "zh-CN"}).json()
    assert canonical["verb"]["display"] == {"zh-CN": "完成"}
    assert xapi.get("statements", params={"format": "pretty"}).status_code == 400


def test_alternate_request_syntax(xapi, lrs_client):
    import base64
    import json as _json

    given = new_id()
    auth = "Basic " + base64.b64encode(f"{lrs_client.key}:s3cret-for-tests".encode()).decode()
    form = {"Authorization": auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json",
            "statementId": given, "content": _json.dumps(statement())}
    anonymous = type(xapi)(xapi.base.removesuffix("/xapi/"), None, None, version="")
    response = anonymous.post("statements?method=PUT", data=form)
    assert response.status_code == 204, response.text
    form = {"Authorization": auth, "X-Experience-API-Version": "1.0.3", "statementId": given}
    assert anonymous.post("statements?method=GET", data=form).json()["id"] == given
    assert anonymous.post("statements?method=GET&statementId=" + given, data=form).status_code == 400


def test_activities_agents_and_about(xapi, xapi_as):
    xapi.post("statements", json=statement())
    activity = xapi.get("activities", params={"activityId": COURSE}).json()
    assert activity == {"objectType": "Activity", "id": COURSE, "definition": {"name": {"zh-CN": "电工基础"}}}
    import json as _json

    person = xapi.get("agents", params={"agent": _json.dumps(WANG)}).json()
    assert person == {"objectType": "Person", "mbox": ["mailto:wang@example.cn"]}
    assert xapi.get("activities").status_code == 400
    about = xapi_as(None, version="").get("about")
    assert about.status_code == 200 and "1.0.3" in about.json()["version"]
    assert "2.0.0" in xapi_as(None, version="2.0.0").get("about").json()["version"]

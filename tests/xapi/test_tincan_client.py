"""A real client: the tincan library's RemoteLRS against the live server."""
from __future__ import annotations

import hashlib
import json

import pytest
import requests
from tincan import (
    Activity,
    ActivityDefinition,
    ActivityProfileDocument,
    Agent,
    LanguageMap,
    RemoteLRS,
    StateDocument,
    Statement,
    Verb,
)

from .conftest import SECRET

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lrs(live_server, lrs_client):
    return RemoteLRS(endpoint=live_server.url + "/xapi/", username=lrs_client.key, password=SECRET, version="1.0.3")


def test_tincan_saves_queries_and_retrieves_statements(lrs):
    actor = Agent(name="张伟", mbox="mailto:zhangwei@example.cn")
    verb = Verb(id="http://adlnet.gov/expapi/verbs/experienced", display=LanguageMap({"zh-CN": "体验"}))
    activity = Activity(id="https://skills.gansu.edu.cn/xapi/activities/course/TC01",
                        definition=ActivityDefinition(name=LanguageMap({"zh-CN": "农机维修"})))
    saved = lrs.save_statement(Statement(actor=actor, verb=verb, object=activity))
    assert saved.success, saved.data
    statement_id = saved.content.id

    batch = lrs.save_statements([Statement(actor=actor, verb=verb, object=activity) for _ in range(3)])
    assert batch.success, batch.data

    got = lrs.retrieve_statement(statement_id)
    assert got.success and str(got.content.id) == str(statement_id)
    assert got.content.actor.mbox == "mailto:zhangwei@example.cn"

    query = lrs.query_statements({"agent": actor, "verb": verb, "limit": 2})
    assert query.success, query.data
    assert len(query.content.statements) == 2 and query.content.more
    more = lrs.more_statements(query.content)
    assert more.success and len(more.content.statements) == 2

    assert lrs.about().success


def test_tincan_state_and_profile_documents(lrs, live_server, lrs_client):
    agent = Agent(mbox="mailto:zhangwei@example.cn")
    activity = Activity(id="https://skills.gansu.edu.cn/xapi/activities/course/TC01")
    state = StateDocument(id="bookmark", activity=activity, agent=agent, content=json.dumps({"page": 5}),
                          content_type="application/json")
    assert lrs.save_state(state).success
    got = lrs.retrieve_state(activity, agent, "bookmark")
    assert got.success and json.loads(got.content.content) == {"page": 5}
    ids = lrs.retrieve_state_ids(activity, agent)
    assert ids.success and ids.content == ["bookmark"]

    # Profiles need a precondition to be created; tincan only sends If-Match, so create it first.
    created = requests.put(
        live_server.url + "/xapi/activities/profile", auth=(lrs_client.key, SECRET), timeout=30,
        params={"activityId": activity.id, "profileId": "syllabus"}, data=b'{"weeks": 8}',
        headers={"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json", "If-None-Match": "*"},
    )
    assert created.status_code == 204
    profile = lrs.retrieve_activity_profile(activity, "syllabus")
    assert profile.success and json.loads(profile.content.content) == {"weeks": 8}
    update = ActivityProfileDocument(id="syllabus", activity=activity, content='{"weeks": 9}',
                                     content_type="application/json")
    old_tag = hashlib.sha1(b'{"weeks": 8}').hexdigest()
    update.etag = f'"{old_tag}"'
    assert lrs.save_activity_profile(update).success
    assert json.loads(lrs.retrieve_activity_profile(activity, "syllabus").content.content) == {"weeks": 9}
    stale = ActivityProfileDocument(id="syllabus", activity=activity, content="{}", content_type="application/json")
    stale.etag = update.etag  # the old tag: refused, nothing overwritten
    assert not lrs.save_activity_profile(stale).success
    assert lrs.retrieve_activity_profile_ids(activity).content == ["syllabus"]

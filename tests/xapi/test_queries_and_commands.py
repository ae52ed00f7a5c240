"""Query counts stay constant as the store grows; the create_lrs_client command; validation details."""
from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from lms.xapi import api
from lms.xapi.models import LRSClient
from lms.xapi.validation import Invalid, check_statement

from .conftest import SECRET, statement

pytestmark = pytest.mark.django_db

HEADERS = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


def _get(client: Client, lrs_client, **params):
    import base64

    auth = "Basic " + base64.b64encode(f"{lrs_client.key}:{SECRET}".encode()).decode()
    return client.get("/xapi/statements", params, HTTP_AUTHORIZATION=auth, **HEADERS)


@pytest.mark.parametrize("size", [10, 120])
def test_statement_queries_use_a_constant_number_of_queries(lrs_client, django_assert_max_num_queries, size):
    agent = {"mbox": "mailto:many@example.cn"}
    api.record([statement(actor=agent, context={"contextActivities": {"parent": [{"id": "http://x.cn/p"}]}})
                for _ in range(size)])
    client = Client()
    with django_assert_max_num_queries(4):  # client lookup, direct page, referencing page
        response = _get(client, lrs_client, agent=json.dumps(agent), limit=50)
    assert response.status_code == 200 and len(response.json()["statements"]) == min(size, 50)
    with django_assert_max_num_queries(4):
        response = _get(client, lrs_client, activity="http://x.cn/p", related_activities="true", limit=50)
    assert len(response.json()["statements"]) == min(size, 50)


def test_recording_a_batch_uses_a_constant_number_of_queries(django_assert_max_num_queries):
    # Warm the per-process caches first (the forwarder's plugin switch: two queries every 5 s, not per batch).
    api.record([statement()])
    for size in (5, 200):
        with django_assert_max_num_queries(8):
            api.record([statement(context={"instructor": {"mbox": "mailto:t@example.cn"}}) for _ in range(size)])


def test_create_lrs_client_is_idempotent(capsys):
    call_command("create_lrs_client", "Province LRS", "--key", "prov", "--secret", "first-secret", "--scope", "write")
    call_command("create_lrs_client", "Province LRS", "--key", "prov", "--secret", "second-secret",
                 "--scope", "read_all", "--scope", "write")
    client = LRSClient.objects.get(key="prov")
    assert client.scopes == ["read_all", "write"]
    assert client.check_secret("second-secret") and not client.check_secret("first-secret")
    assert "second-secret" not in client.secret_hash
    assert LRSClient.objects.filter(key="prov").count() == 1
    with pytest.raises(CommandError, match="secret"):
        call_command("create_lrs_client", "x", "--key", "k2", "--secret", "short")
    with pytest.raises(CommandError, match="institution"):
        call_command("create_lrs_client", "x", "--key", "k3", "--secret", "long-enough", "--institution", "nope")


@pytest.mark.parametrize(("change", "path"), [
    ({"actor": {"objectType": "Group"}}, "statement.actor.member"),
    ({"actor": {"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@x.cn"}]}},
     "statement.actor.member[0].objectType"),
    ({"object": {"objectType": "SubStatement", "actor": {"mbox": "mailto:a@x.cn"}, "verb": {"id": "http://v.cn/v"},
                 "object": {"id": "http://a.cn"}, "id": "x"}}, "statement.object.id"),
    ({"object": {"objectType": "StatementRef", "id": "x"}}, "statement.object.id"),
    ({"object": {"id": "http://a.cn", "definition": {"interactionType": "choice", "scale": []}}},
     "statement.object.definition.scale"),
    ({"object": {"objectType": "Agent", "mbox": "mailto:a@x.cn"}, "context": {"platform": "web"}},
     "statement.context.platform"),
    ({"result": {"score": {"raw": 5, "min": 6, "max": 10}}}, "statement.result.score.raw"),
    ({"timestamp": "2024-05-01T08:00:00-00:00"}, "statement.timestamp"),
    ({"verb": {"id": "http://adlnet.gov/expapi/verbs/voided"}}, "statement.object"),
    ({"authority": {"objectType": "Group", "member": [{"mbox": "mailto:a@x.cn"}]}}, "statement.authority.member"),
    ({"attachments": [{"usageType": "http://u.cn", "display": {}, "contentType": "text/plain", "length": "1",
                       "sha2": "ab" * 32}]}, "statement.attachments[0].length"),
])
def test_validation_names_the_offending_property(change, path):
    with pytest.raises(Invalid) as error:
        check_statement(statement(**change))
    assert str(error.value).startswith(path + ":")


@pytest.mark.postgres
def test_a_more_page_starts_its_index_scan_at_the_cursor():
    # Page n must not walk the n-1 pages before it: the keyset bound is an index condition, not a filter.
    from django.db import connection

    from lms.xapi.models import Statement
    from lms.xapi.queries import StatementFilter, _after

    api.record([statement() for _ in range(30)])
    last = Statement.objects.order_by("-stored", "-seq").values_list("stored", "seq")[20]
    page = (Statement.objects.filter(StatementFilter().bounds()).filter(_after(last, ascending=False))
            .order_by("-stored", "-seq").values_list("payload")[:10])
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond: (ROW(stored, seq) < ROW(" in plan, plan


@pytest.mark.postgres
def test_a_new_batch_is_three_statements_in_one_pipeline_whatever_its_size(monkeypatch):
    # Statements, relations and activity definitions: the write path costs the same for 5 or 500.
    import psycopg

    executed = []
    original = psycopg.Cursor.execute

    def counting(self, query, *args, **kwargs):
        if "SAVEPOINT" not in str(query):  # the test's own transaction wraps record()'s in a savepoint
            executed.append(query)
        return original(self, query, *args, **kwargs)

    api.record([statement()])  # warm the per-process caches (the forwarder's plugin switch, for 5 s)
    monkeypatch.setattr(psycopg.Cursor, "execute", counting)
    for size in (5, 500):
        executed.clear()
        api.record([statement(object={"id": f"http://x.cn/a/{size}/{i}", "definition": {"name": {"en": "A"}}},
                              context={"instructor": {"mbox": "mailto:t@example.cn"}}) for i in range(size)])
        assert len(executed) == 3, [str(q)[:90] for q in executed]

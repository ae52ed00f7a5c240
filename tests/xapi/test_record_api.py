"""lms.xapi.api.record(): the one write path (contract 1)."""
from __future__ import annotations

import json
import uuid

import pytest

from lms.xapi import api
from lms.xapi.models import Statement
from lms.xapi.signals import statements_recorded

from .conftest import new_id, statement

pytestmark = pytest.mark.django_db


def test_record_returns_ids_and_fills_in_what_the_lrs_owns():
    given = new_id()
    ids = api.record([statement(id=given), statement()])
    assert ids[0] == given and uuid.UUID(ids[1])
    stored = json.loads(Statement.objects.get(statement_id=given).payload)
    assert stored["authority"] == api.platform_authority()
    assert stored["stored"].endswith("Z") and stored["timestamp"] == stored["stored"]
    assert stored["version"] == "1.0.0"


def test_same_id_same_content_is_accepted_silently_and_stored_once():
    given = new_id()
    api.record([statement(id=given)])
    assert api.record([statement(id=given)]) == [given]
    assert Statement.objects.filter(statement_id=given).count() == 1


def test_same_id_other_content_is_409_and_stores_nothing():
    given = new_id()
    api.record([statement(id=given)])
    fresh = new_id()
    with pytest.raises(api.StatementRejected) as error:
        api.record([statement(id=fresh), statement(id=given, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})])
    assert error.value.status == 409 and given in str(error.value)
    assert not Statement.objects.filter(statement_id=fresh).exists()


def test_a_batch_with_one_bad_statement_stores_nothing():
    before = Statement.objects.count()
    with pytest.raises(api.StatementRejected) as error:
        api.record([statement(), statement(actor={"mbox": "lihua@example.cn"})])
    assert error.value.status == 400
    assert str(error.value) == "statements[1].actor.mbox: must start with 'mailto:' and be an e-mail address"
    assert Statement.objects.count() == before


def test_rejected_is_a_value_error():
    assert issubclass(api.StatementRejected, ValueError)


def test_signal_is_sent_after_commit_with_the_stored_statements(django_capture_on_commit_callbacks):
    received = []

    def listener(sender, statements, **kwargs):
        received.append(statements)

    statements_recorded.connect(listener)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            ids = api.record([statement()])
        assert received == []  # nothing is sent before the transaction commits
        for callback in callbacks:
            callback()
        assert [s["id"] for s in received[0]] == ids
        assert {"id", "stored", "timestamp", "authority"} <= set(received[0][0])
        with django_capture_on_commit_callbacks(execute=True):
            api.record([statement(id=ids[0])])  # a duplicate records nothing new
        assert len(received) == 1
    finally:
        statements_recorded.disconnect(listener)


def test_voiding_hides_the_target_and_is_signalled(django_capture_on_commit_callbacks):
    target = api.record([statement()])[0]
    received = []
    statements_recorded.connect(lambda sender, statements, **kw: received.extend(statements), weak=False,
                                dispatch_uid="t-void")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            api.record([statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                                  object={"objectType": "StatementRef", "id": target})])
    finally:
        statements_recorded.disconnect(dispatch_uid="t-void")
    assert received[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert api.get_statement(uuid.UUID(target)) is None
    assert api.get_statement(uuid.UUID(target), voided=True) is not None
    assert target not in [s["id"] for s in api.iter_statements()]


def test_a_voiding_statement_cannot_be_voided():
    target = api.record([statement()])[0]
    voiding = api.record([statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                                    object={"objectType": "StatementRef", "id": target})])[0]
    with pytest.raises(api.StatementRejected, match="cannot be voided"):
        api.record([statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                              object={"objectType": "StatementRef", "id": voiding})])


def test_iter_statements_yields_in_stored_order_and_honours_since():
    first = api.record([statement()])[0]
    rest = api.record([statement() for _ in range(5)])
    seen = [s["id"] for s in api.iter_statements(chunk=2)]
    assert seen == [first, *rest]
    stored_first = Statement.objects.get(statement_id=first).stored
    assert [s["id"] for s in api.iter_statements(since=stored_first)] == rest


def test_activity_iri_quotes_each_part(settings):
    settings.XAPI_ACTIVITY_IRI_BASE = "https://lms.example/xapi/activities/"
    assert api.activity_iri("course", "电工/01", "lesson", "7") == (
        "https://lms.example/xapi/activities/course/%E7%94%B5%E5%B7%A5%2F01/lesson/7"
    )


def test_authority_given_replaces_the_statements_own():
    authority = {"objectType": "Agent", "account": {"homePage": "https://lrs.example", "name": "app"}}
    own = {"objectType": "Agent", "mbox": "mailto:someone@example.cn"}
    given = api.record([statement(authority=own)], authority=authority)[0]
    assert json.loads(Statement.objects.get(statement_id=given).payload)["authority"] == authority


def test_canonical_activity_definitions_merge_language_maps():
    iri = "https://skills.gansu.edu.cn/xapi/activities/course/MERGE"
    api.record([statement(object={"id": iri, "definition": {"name": {"zh-CN": "电工"}}})])
    api.record([statement(object={"id": iri, "definition": {"name": {"en-US": "Electrics"}}})])
    from lms.xapi.models import Activity

    assert Activity.objects.get(iri=iri).definition["name"] == {"zh-CN": "电工", "en-US": "Electrics"}


def test_a_batch_mixing_a_resent_statement_with_new_ones_stores_and_signals_only_the_new(
    django_capture_on_commit_callbacks,
):
    # On PostgreSQL the first attempt assumes every id is new and is rolled back; what is left must be
    # exactly what the careful path stores: each statement once, relations only for the new one.
    from lms.xapi.models import StatementRelation

    taught = {"instructor": {"mbox": "mailto:teacher@example.cn"}}
    first = statement(id=new_id(), context=taught)
    api.record([first])
    second = statement(id=new_id(), context=taught)
    received = []
    statements_recorded.connect(lambda sender, statements, **kw: received.extend(statements), weak=False,
                                dispatch_uid="t-mixed")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert api.record([first, second]) == [first["id"], second["id"]]
    finally:
        statements_recorded.disconnect(dispatch_uid="t-mixed")
    assert [s["id"] for s in received] == [second["id"]]
    assert Statement.objects.filter(statement_id__in=[first["id"], second["id"]]).count() == 2
    assert StatementRelation.objects.filter(kind="agent", key__contains="teacher@example.cn").count() == 2


def test_a_rejected_batch_leaves_no_relations_or_activity_definitions_behind():
    from lms.xapi.models import Activity, StatementRelation

    given = api.record([statement()])[0]
    relations = StatementRelation.objects.count()
    iri = "https://skills.gansu.edu.cn/xapi/activities/course/REJECTED"
    fresh = statement(object={"id": iri, "definition": {"name": {"zh-CN": "新课程"}}},
                      context={"instructor": {"mbox": "mailto:teacher@example.cn"}})
    with pytest.raises(api.StatementRejected) as error:
        api.record([fresh, statement(id=given, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})])
    assert error.value.status == 409
    assert StatementRelation.objects.count() == relations
    assert not Activity.objects.filter(iri=iri).exists()

"""The write path's encodings: binary array parameters, JSON parsing and serialisation, definition digests."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.utils import translation

from lms.xapi import api, storage
from lms.xapi.models import Activity, Statement
from lms.xapi.rest_api.common import XAPIError, parse_json

from .conftest import new_id, statement

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_binary_arrays_reach_postgresql_as_the_values_given():
    import psycopg

    from lms.xapi.binary_arrays import BooleanArray, TextArray, TimestamptzArray, UUIDArray

    texts = ["学员 \"引号\" \\ 反斜杠", "", None, "emoji 🐑", "x" * 70_000]
    ids = [uuid.uuid4(), None, uuid.UUID(int=0)]
    moments = [datetime(2026, 5, 1, 8, 30, 0, 123456, tzinfo=UTC),
               datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),  # before PostgreSQL's epoch
               datetime(2026, 5, 1, 16, 30, tzinfo=timezone(timedelta(hours=8)))]
    flags = [True, False]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute("SELECT %b::text[], %b::uuid[], %b::timestamptz[], %b::boolean[]",
                       [TextArray(texts), UUIDArray(ids), TimestamptzArray(moments), BooleanArray(flags)])
        got_texts, got_ids, got_moments, got_flags = cursor.fetchone()
    assert got_texts == texts and got_ids == ids and got_flags == flags
    assert got_moments == moments  # equal instants, whatever the offset they were given in


def test_parse_json_keeps_long_integers_exact():
    parsed = parse_json(b'[{"n": 123456789012345678901234567890, "s": "12345678901234567890"}]', "body")
    assert parsed == [{"n": 123456789012345678901234567890, "s": "12345678901234567890"}]


@pytest.mark.parametrize("body", [b"[1, NaN]", b'{"a": Infinity}', b'{"a": -Infinity}', b"{", b"\xff\xfe"])
def test_parse_json_refuses_what_is_not_json(body):
    with pytest.raises(XAPIError) as error, translation.override("en"):
        parse_json(body, "body")
    assert error.value.status == 400 and "body: is not valid JSON" in str(error.value.message)


def test_parse_json_accepts_what_python_accepted_before():
    assert parse_json('\ufeff[1]'.encode(), "body") == [1]  # a byte-order mark
    assert parse_json(b'["\\ud800"]', "body") == ["\ud800"]  # a lone surrogate


def test_payload_text_is_compact_json_and_long_integers_survive():
    extensions = {"http://example.com/big": 2**70, "http://example.com/small": 1e-7}
    given = api.record([statement(result={"extensions": extensions})])[0]
    payload = Statement.objects.get(statement_id=given).payload
    assert json.loads(payload)["result"]["extensions"] == extensions
    assert '"name":"李华"' in payload  # compact, non-ASCII kept as is


@pytest.mark.parametrize("score", [float("nan"), float("inf"), float("-inf")])
def test_a_score_that_is_not_a_number_is_refused(score):
    with pytest.raises(api.StatementRejected) as error:
        api.record([statement(result={"score": {"raw": score}})])
    assert str(error.value) == "statement.result.score.raw: must be a number"


def test_format_time_is_utc_with_microseconds():
    assert storage.format_time(datetime(2026, 5, 1, 16, 30, 0, 5, tzinfo=timezone(timedelta(hours=8)))) == \
        "2026-05-01T08:30:00.000005Z"
    assert storage.format_time(datetime(2026, 5, 1, 8, 30, tzinfo=UTC)) == "2026-05-01T08:30:00.000000Z"


def _define(iri: str, definition: dict) -> None:
    api.record([statement(id=new_id(), object={"id": iri, "definition": definition})])


def test_a_definition_given_again_after_another_wins_again():
    # The digest only skips a definition equal to the one given *last*: A, B, A leaves A's values in place.
    iri = "https://skills.gansu.edu.cn/xapi/activities/course/DIGEST"
    first = {"name": {"zh-CN": "电工"}, "type": "http://adlnet.gov/expapi/activities/course"}
    second = {"name": {"en-US": "Electrics"}, "type": "http://adlnet.gov/expapi/activities/lesson"}
    _define(iri, first)
    _define(iri, second)
    assert Activity.objects.get(iri=iri).definition["type"].endswith("/lesson")
    _define(iri, first)
    stored = Activity.objects.get(iri=iri)
    assert stored.definition == {"name": {"zh-CN": "电工", "en-US": "Electrics"},
                                 "type": "http://adlnet.gov/expapi/activities/course"}
    assert stored.given_digest == storage.digest(storage.dumps(first))


def test_a_definition_repeated_leaves_the_activity_row_untouched():
    iri = "https://skills.gansu.edu.cn/xapi/activities/course/REPEAT"
    definition = {"name": {"zh-CN": "养羊技术"}}
    _define(iri, definition)
    updated = Activity.objects.get(iri=iri).updated
    _define(iri, definition)
    assert Activity.objects.get(iri=iri).updated == updated


def test_an_activity_stored_before_digests_takes_the_next_definition():
    # Rows from before migration 0003 have an empty digest: the next definition is merged, not skipped.
    iri = "https://skills.gansu.edu.cn/xapi/activities/course/LEGACY"
    Activity.objects.create(iri=iri, definition={"name": {"zh-CN": "旧名"}})
    _define(iri, {"name": {"en-US": "New"}})
    assert Activity.objects.get(iri=iri).definition == {"name": {"zh-CN": "旧名", "en-US": "New"}}

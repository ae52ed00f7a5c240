"""PostgreSQL fast path for the projection's two bulk writes: new events, changed states.

Django's ``bulk_create`` builds one multi-row INSERT and its psycopg backend quotes every value into it in
Python (client-side binding): about a third of a 100-statement projection, measured in the worker. Here
each column is one array parameter that the server binds, a batch is one statement whatever its size,
and the rows are exactly what ``bulk_create`` would write. SQLite (the embedded default) keeps
``bulk_create``; ``api`` chooses.
"""
from __future__ import annotations

import psycopg
from django.db import connection

from .models import ActivityEvent, ActivityState


def _optional(convert):
    return lambda value: None if value is None else convert(value)


# (column, PostgreSQL type, conversion): the conversion gives each array one Python type, as psycopg needs.
_EVENT = [
    ("statement_id", "uuid", None), ("learner_id", "bigint", int), ("activity_iri", "text", str),
    ("verb", "text", str), ("completion", "boolean", _optional(bool)), ("success", "boolean", _optional(bool)),
    ("score", "float8", _optional(float)), ("seconds", "float8", float), ("position", "float8", _optional(float)),
    ("progress", "float8", _optional(float)), ("more_info", "text", str), ("timestamp", "timestamptz", None),
    ("voided", "boolean", bool),
]
_STATE = [
    ("learner_id", "bigint", int), ("activity_iri", "text", str), ("completed", "boolean", bool),
    ("passed", "boolean", _optional(bool)), ("best_score", "float8", _optional(float)), ("attempts", "integer", int),
    ("seconds", "float8", float), ("position", "float8", _optional(float)), ("percent", "smallint", int),
    ("attended", "boolean", bool), ("last_at", "timestamptz", None), ("last_url", "text", str),
]
STATE_FIELDS = [column for column, _, _ in _STATE[2:]]


def _insert(table: str, columns, objects, conflict: str) -> None:
    names = ", ".join(f'"{column}"' for column, _, _ in columns)
    arrays = ", ".join(f"%s::{kind}[]" for _, kind, _ in columns)
    params = []
    for column, _, convert in columns:
        values = [getattr(obj, column) for obj in objects]
        params.append(values if convert is None else [convert(value) for value in values])
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}", params)


def insert_events(events: list[ActivityEvent]) -> None:
    """Insert events; a statement id already projected is skipped (``ignore_conflicts``)."""
    if events:
        _insert(ActivityEvent._meta.db_table, _EVENT, events, "ON CONFLICT (statement_id) DO NOTHING")


def save_states(states: list[ActivityState]) -> None:
    """Insert or replace the states of (learner, activity) pairs, at most one per pair."""
    if states:
        updates = ", ".join(f'"{field}" = EXCLUDED."{field}"' for field in STATE_FIELDS)
        _insert(ActivityState._meta.db_table, _STATE, states,
                f"ON CONFLICT (learner_id, activity_iri) DO UPDATE SET {updates}")

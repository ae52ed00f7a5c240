"""Fast paths for the statement write path on PostgreSQL.

Django's psycopg 3 backend binds parameters on the client, quoting each value in Python; for a batch of
100 statements (1,400 values, payloads of ~1 kB) that quoting costs more than the database work. These
helpers send the same SQL with server-side binding instead. SQLite (the embedded default) uses the ORM.
"""
from __future__ import annotations

import uuid

from django.db import connection

from .models import Statement

COLUMNS = ("statement_id", "stored", "timestamp", "verb_iri", "actor_key", "object_agent_key", "object_activity_iri",
           "object_statement_id", "authority_key", "registration", "voided", "is_voiding", "has_attachments",
           "payload")

_TYPES = ("uuid", "timestamptz", "timestamptz", "text", "text", "text", "text", "uuid", "text", "uuid", "boolean",
          "boolean", "boolean", "text")


def _server_cursor():
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def insert_statements(prepared) -> None:
    """INSERT ... ON CONFLICT (statement_id) DO NOTHING, in the given order."""
    if not prepared:
        return
    if connection.vendor != "postgresql":
        Statement.objects.bulk_create([
            Statement(statement_id=p.statement_id, stored=p.stored, timestamp=p.timestamp, payload=p.payload,
                      **p.columns)
            for p in prepared
        ], ignore_conflicts=True)
        return
    columns = list(zip(*[
        (p.statement_id, p.stored, p.timestamp, p.columns["verb_iri"], p.columns["actor_key"],
         p.columns["object_agent_key"], p.columns["object_activity_iri"], p.columns["object_statement_id"],
         p.columns["authority_key"], p.columns["registration"], False, p.columns["is_voiding"],
         p.columns["has_attachments"], p.payload)
        for p in prepared
    ], strict=True))
    # One array per column: 14 parameters whatever the batch size; unnest keeps the order.
    arrays = ", ".join(f"%s::{kind}[]" for kind in _TYPES)
    with _server_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Statement._meta.db_table} ({', '.join(COLUMNS)}) SELECT * FROM unnest({arrays}) "
            "ON CONFLICT (statement_id) DO NOTHING",
            [list(column) for column in columns],
        )


def rows_for(statement_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, str]]:
    """statement_id -> (seq, payload) for the stored statements among ``statement_ids``."""
    if not statement_ids:
        return {}
    if connection.vendor != "postgresql":
        rows = Statement.objects.filter(statement_id__in=statement_ids)
        return {sid: (seq, payload) for sid, seq, payload in rows.values_list("statement_id", "seq", "payload")}
    with _server_cursor() as cursor:
        cursor.execute(
            f"SELECT statement_id, seq, payload FROM {Statement._meta.db_table} WHERE statement_id = ANY(%s)",
            [list(statement_ids)],
        )
        return {sid: (seq, payload) for sid, seq, payload in cursor.fetchall()}


def _merged(table: str) -> str:
    """SQL for "latest definition wins, language maps keep older languages" (api._merge_definition)."""
    maps = ", ".join(
        f"'{key}', CASE WHEN {table}.definition ? '{key}' OR EXCLUDED.definition ? '{key}' THEN "
        f"coalesce({table}.definition->'{key}', '{{}}'::jsonb) || coalesce(EXCLUDED.definition->'{key}', "
        "'{}'::jsonb) END"
        for key in ("name", "description")
    )
    return f"({table}.definition || EXCLUDED.definition || jsonb_strip_nulls(jsonb_build_object({maps})))"


def upsert_activity_definitions(definitions: dict[str, dict]) -> None:
    """Merge definitions into the canonical ones in one statement (PostgreSQL only; the caller falls back to
    the ORM elsewhere); rows that would not change are not written."""
    from django.utils import timezone

    from .models import Activity

    table = Activity._meta.db_table
    from psycopg.types.json import Jsonb

    merged = _merged(table)
    now = timezone.now()
    # Rows are locked in IRI order, so concurrent batches sharing activities cannot deadlock.
    definitions = dict(sorted(definitions.items()))
    with _server_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (iri, definition, updated) "
            "SELECT * FROM unnest(%s::text[], %s::jsonb[], %s::timestamptz[]) "
            f"ON CONFLICT (iri) DO UPDATE SET definition = {merged}, updated = EXCLUDED.updated "
            f"WHERE {table}.definition IS DISTINCT FROM {merged}",
            [list(definitions), [Jsonb(d) for d in definitions.values()], [now] * len(definitions)],
        )

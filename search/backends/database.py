"""The default backend: full-text search inside the database over the jieba-segmented term columns.

PostgreSQL matches the generated ``search_vector`` (GIN) with a ``tsquery`` built from the parsed
clauses and ranks with ``ts_rank`` (title terms weigh most, then pinyin, then body). SQLite matches its
FTS5 table and ranks with ``bm25``. Filters are ``IN`` sub-queries on ``IndexedFacet``'s index. Facet
counts unnest each matched document's ``facet_keys`` (JSON) in the same pass that finds it (no join), in
one grouped query plus one per facet that has a selection (so a selected facet still shows its
alternatives' counts): the number of queries per search is fixed, whatever the size of the catalogue.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q
from django.db.models.expressions import RawSQL

from search import text
from search.data import SearchResults
from search.models import IndexedDocument, IndexedFacet

from .base import FACET_KEY_SEPARATOR, BaseSearchBackend, RawHit, SearchRequest

TABLE = IndexedDocument._meta.db_table


def tsquery(clauses: list[text.Clause]) -> str:
    """PostgreSQL tsquery text: clauses AND-ed, alternatives OR-ed, Latin terms as prefixes."""

    def lexeme(term: str, prefix: bool) -> str:
        quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":*" if prefix else "")

    parts = []
    for clause in clauses:
        alternatives = [" & ".join(lexeme(t, clause.prefix) for t in alt) for alt in clause.alternatives]
        parts.append("(" + " | ".join(f"({a})" for a in alternatives) + ")")
    return " & ".join(parts)


def fts5_query(clauses: list[text.Clause]) -> str:
    """SQLite FTS5 MATCH text with the same meaning as :func:`tsquery`."""

    def phrase(term: str, prefix: bool) -> str:
        return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")

    parts = []
    for clause in clauses:
        alternatives = [" AND ".join(phrase(t, clause.prefix) for t in alt) for alt in clause.alternatives]
        parts.append("(" + " OR ".join(f"({a})" for a in alternatives) + ")")
    return " AND ".join(parts)


def _match(clauses: list[text.Clause]) -> tuple[RawSQL, RawSQL]:
    """(condition, rank) for the current database, both naming the document table itself.

    Every query that uses them has the document table at its top level (the facet count joins it
    rather than nesting it), so the full-text index is used directly, without a self-join.
    """
    if connection.vendor == "postgresql":
        query = tsquery(clauses)
        return (
            RawSQL(f"{TABLE}.search_vector @@ %s::tsquery", [query], output_field=BooleanField()),
            RawSQL(f"ts_rank('{{0.1, 0.2, 0.5, 1.0}}', {TABLE}.search_vector, %s::tsquery)", [query],
                   output_field=FloatField()),
        )
    query = fts5_query(clauses)
    return (
        RawSQL(f"{TABLE}.id IN (SELECT rowid FROM lms_search_fts WHERE lms_search_fts MATCH %s)", [query],
               output_field=BooleanField()),
        # bm25 is lower-is-better; negate so both vendors sort by descending rank.
        RawSQL(
            "(SELECT -bm25(lms_search_fts, 10.0, 5.0, 1.0) FROM lms_search_fts "
            f"WHERE lms_search_fts MATCH %s AND lms_search_fts.rowid = {TABLE}.id)",
            [query], output_field=FloatField(),
        ),
    )


def _where(request: SearchRequest, condition: RawSQL | None, *, via: str = "", skip: str = "") -> list:
    """Filter arguments selecting the matching documents, for documents (``via=""``) or for their facet
    rows (``via="document__"``). Facet filters are ``IN`` sub-queries on the facet table."""
    where: list = [Q(**{f"{via}audience__in": request.audiences})]
    if condition is not None:
        where.append(condition)
    for name, values in request.filters.items():
        if name != skip and values:
            chosen = IndexedFacet.objects.filter(name=name, value__in=values).values("document_id")
            where.append(Q(**{f"{via}id__in": chosen}))
    return where


def _counts(request: SearchRequest, condition: RawSQL | None, *, only: str = "") -> dict:
    """Facet counts over the matching documents in one pass: their ``facet_keys`` unnested and grouped."""
    matched = IndexedDocument.objects.filter(*_where(request, condition, skip=only)).values("facet_keys")
    inner, params = matched.query.sql_with_params()
    if connection.vendor == "postgresql":
        sql = f"SELECT k, COUNT(*) FROM ({inner}) m, LATERAL jsonb_array_elements_text(m.facet_keys) k"
        column = "k"
    else:
        sql = f"SELECT j.value, COUNT(*) FROM ({inner}) m, json_each(m.facet_keys) j"
        column = "j.value"
    if only:  # facet names are fixed identifiers; "_" matching any character is harmless here
        sql += f" WHERE {column} LIKE %s"
        params = (*params, only + FACET_KEY_SEPARATOR + "%")
    sql += f" GROUP BY {column}"
    counts: dict[str, dict[str, tuple[str, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, n in cursor.fetchall():
            name, value, label = key.split(FACET_KEY_SEPARATOR, 2)
            counts.setdefault(name, {})[value] = (label, n)
    return counts


class SearchBackend(BaseSearchBackend):
    def search(self, request: SearchRequest) -> SearchResults:
        condition, rank = _match(request.clauses) if request.clauses else (None, None)
        matched = IndexedDocument.objects.filter(*_where(request, condition))
        counts = _counts(request, condition)
        # every document has exactly one "kind" facet value, so the kind counts add up to the total:
        # no separate COUNT(*) pass over the matches
        total = sum(n for _label, n in counts.get("kind", {}).values())

        if rank is not None and request.sort == "relevance":
            ordered = matched.annotate(score=rank).order_by(F("score").desc(), "-published_at", "id")
        else:
            ordered = matched.order_by("-published_at", "-id")
        fields = ["key", "kind", "title", "url", "published_at", "summary", "body"]
        rows = ordered.values(*fields, *(["score"] if rank is not None and request.sort == "relevance" else []))
        page_rows = list(rows[request.offset:request.offset + request.page_size])
        hits = [RawHit(**{**row, "body": row["body"][:text.MAX_BODY_CHARS]}) for row in page_rows]

        for name, values in request.filters.items():
            if values:  # a selected facet keeps showing its alternatives, counted without itself
                counts.update(_counts(request, condition, only=name))
        return self.results(request, total=total, hits=hits, counts=counts)

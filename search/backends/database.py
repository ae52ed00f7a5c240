"""The default backend: full-text search inside the database over the jieba-segmented term columns.

PostgreSQL matches the generated ``search_vector`` (GIN) with a ``tsquery`` built from the parsed
clauses and ranks with ``ts_rank`` (title terms weigh most, then pinyin, then body). SQLite matches its
FTS5 table and ranks with ``bm25``. Facet counts come from ``IndexedFacet`` in one grouped query, plus
one per facet that has a selection (so a selected facet still shows its alternatives' counts): the
number of queries per search is fixed, whatever the size of the catalogue.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import Count, F, FloatField, Max, QuerySet
from django.db.models.expressions import RawSQL

from search import text
from search.data import SearchResults
from search.models import IndexedDocument, IndexedFacet

from .base import BaseSearchBackend, RawHit, SearchRequest

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


def _match(clauses: list[text.Clause]) -> tuple[dict, RawSQL]:
    """(filter keyword arguments, rank expression) for the current database.

    The match is an ``id IN (full-text subquery)`` so it stays valid when Django nests the queryset
    (facet counts); the rank refers to the outer table and is only used on the top-level query.
    """
    if connection.vendor == "postgresql":
        query = tsquery(clauses)
        return (
            {"id__in": RawSQL(f"SELECT id FROM {TABLE} WHERE search_vector @@ %s::tsquery", [query])},
            RawSQL(f"ts_rank('{{0.1, 0.2, 0.5, 1.0}}', {TABLE}.search_vector, %s::tsquery)", [query],
                   output_field=FloatField()),
        )
    query = fts5_query(clauses)
    return (
        {"id__in": RawSQL("SELECT rowid FROM lms_search_fts WHERE lms_search_fts MATCH %s", [query])},
        # bm25 is lower-is-better; negate so both vendors sort by descending rank.
        RawSQL(
            "(SELECT -bm25(lms_search_fts, 10.0, 5.0, 1.0) FROM lms_search_fts "
            f"WHERE lms_search_fts MATCH %s AND lms_search_fts.rowid = {TABLE}.id)",
            [query], output_field=FloatField(),
        ),
    )


def _filtered(documents: QuerySet, filters: dict[str, list[str]], *, skip: str = "") -> QuerySet:
    for name, values in filters.items():
        if name == skip or not values:
            continue
        documents = documents.filter(
            id__in=IndexedFacet.objects.filter(name=name, value__in=values).values("document_id")
        )
    return documents


def _counts(documents: QuerySet, *, only: str = "") -> dict[str, dict[str, tuple[str, int]]]:
    facets = IndexedFacet.objects.filter(document__in=documents.values("id"))
    if only:
        facets = facets.filter(name=only)
    rows = facets.values("name", "value").annotate(n=Count("id"), label=Max("label")).order_by()
    counts: dict[str, dict[str, tuple[str, int]]] = {}
    for row in rows:
        counts.setdefault(row["name"], {})[row["value"]] = (row["label"], row["n"])
    return counts


class SearchBackend(BaseSearchBackend):
    def search(self, request: SearchRequest) -> SearchResults:
        documents = IndexedDocument.objects.filter(audience__in=request.audiences)
        rank = None
        if request.clauses:
            condition, rank = _match(request.clauses)
            documents = documents.filter(**condition)
        matched = _filtered(documents, request.filters)
        total = matched.count()

        if rank is not None and request.sort == "relevance":
            ordered = matched.annotate(score=rank).order_by(F("score").desc(), "-published_at", "id")
        else:
            ordered = matched.order_by("-published_at", "-id")
        fields = ["key", "kind", "title", "url", "published_at", "summary", "body"]
        rows = ordered.values(*fields, *(["score"] if "score" in ordered.query.annotations else []))
        page_rows = list(rows[request.offset:request.offset + request.page_size])
        hits = [RawHit(**{**row, "body": row["body"][:text.MAX_BODY_CHARS]}) for row in page_rows]

        counts = _counts(matched)
        for name, values in request.filters.items():
            if values:  # a selected facet keeps showing its alternatives, counted without itself
                counts.update(_counts(_filtered(documents, request.filters, skip=name), only=name))
        return self.results(request, total=total, hits=hits, counts=counts)

"""The default backend: full-text search inside the database over the jieba-segmented term columns.

PostgreSQL matches the generated ``search_vector`` (GIN) with a ``tsquery`` built from the parsed
clauses and ranks with ``ts_rank`` (title terms weigh most, then pinyin, then body). SQLite matches its
FTS5 table and ranks with ``bm25``.

One pass over the matches answers a search (``_pass``): a materialised CTE holds each matching
document's id, date, score and facet ids, and how many of the selected filters it fails. Facet counts
are "disjunctive" (a selected facet keeps showing its alternatives, counted without its own filter),
so the pass keeps documents that fail at most one filter: one that fails none counts for every facet,
the total and the page; one that fails exactly one counts only for that facet. Filters and counts read
the facet ids on the row (PostgreSQL: the generated ``facet_array integer[]``, ``&&`` on its GIN index,
``unnest``; SQLite: JSON). Labels come from the ``IndexedFacetValue`` dictionary.

Without search words, no filter or one filter would make that pass read every document: then the
per-audience counts kept on ``IndexedFacetValue`` answer for the unfiltered facets, and the pass reads
only the documents that pass the filter, on PostgreSQL from a covering index (audience, date, id,
facet ids; migration 0005) rather than the wide document rows. Queries per search are fixed: the
ids of the filter values (if any filter), the pass, the page's rows, and the dictionary's counts when
browsing without words.
"""
from __future__ import annotations

from django.db import connection

from search import text
from search.data import Audience, SearchResults
from search.models import IndexedDocument, IndexedFacetValue

from .base import BaseSearchBackend, RawHit, SearchRequest

TABLE = IndexedDocument._meta.db_table
VALUES = IndexedFacetValue._meta.db_table
PAGE_FIELDS = ("key", "kind", "title", "url", "published_at", "summary", "body")


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


class _Postgres:
    facets = "d.facet_array"

    @staticmethod
    def match(clauses):
        query = tsquery(clauses)
        return ("d.search_vector @@ %s::tsquery", [query],
                "ts_rank('{0.1, 0.2, 0.5, 1.0}', d.search_vector, %s::tsquery)", [query])

    @staticmethod
    def any_of(column: str, ids: list[int]) -> tuple[str, list]:
        return f"{column} && %s::integer[]", [ids]

    @staticmethod
    def unnest(alias: str) -> str:
        return f"(SELECT unnest({alias}.f) AS id, {alias}.failed_name FROM {alias})"


class _SQLite:
    facets = "d.facet_ids"

    @staticmethod
    def match(clauses):
        query = fts5_query(clauses)
        # bm25 is lower-is-better; negate so both vendors sort by descending rank.
        return ("d.id IN (SELECT rowid FROM lms_search_fts WHERE lms_search_fts MATCH %s)", [query],
                "(SELECT -bm25(lms_search_fts, 10.0, 5.0, 1.0) FROM lms_search_fts "
                "WHERE lms_search_fts MATCH %s AND lms_search_fts.rowid = d.id)", [query])

    @staticmethod
    def any_of(column: str, ids: list[int]) -> tuple[str, list]:
        if not ids:
            return "0 = 1", []
        marks = ", ".join(["%s"] * len(ids))
        return f"EXISTS (SELECT 1 FROM json_each({column}) j WHERE j.value IN ({marks}))", list(ids)

    @staticmethod
    def unnest(alias: str) -> str:
        return f"(SELECT j.value AS id, {alias}.failed_name FROM {alias}, json_each({alias}.f) j)"


def _vendor():
    return _Postgres if connection.vendor == "postgresql" else _SQLite


def _filter_ids(request: SearchRequest) -> dict[str, list[int]]:
    """The dictionary ids of each filter's values (an unknown value has none, so it matches nothing)."""
    if not request.filters:
        return {}
    ids: dict[str, list[int]] = {name: [] for name in request.filters}
    rows = IndexedFacetValue.objects.filter(name__in=list(request.filters)).values_list("id", "name", "value")
    for pk, name, value in rows:
        if value in request.filters[name]:
            ids[name].append(pk)
    return ids


def _sql(*parts: tuple[str, list], sep: str = " ") -> tuple[str, list]:
    """Join (sql, params) fragments, keeping the parameters in the order of their placeholders."""
    return sep.join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def _pass_sql(request: SearchRequest, filters: dict[str, list[int]], *, keep_failing_one: bool):
    """SQL and parameters of the single pass: counts per facet value, the total, and the page's ids.

    ``failed_name`` is NULL for a document passing every filter, else the one filter it fails.
    """
    vendor = _vendor()
    tests = {name: vendor.any_of(vendor.facets, ids) for name, ids in filters.items()}
    where = [(f"d.audience IN ({', '.join(['%s'] * len(request.audiences))})", list(request.audiences))]
    score = ("0.0", [])
    if request.clauses:
        condition, condition_params, rank, rank_params = vendor.match(request.clauses)
        where.append((condition, condition_params))
        score = (rank, rank_params)
    failed_name = ("NULL", [])
    if tests and keep_failing_one:
        if len(tests) > 1:  # failing at most one filter: for one of the filters, all the others pass
            others = [_sql(*(test for other, test in tests.items() if other != name), sep=" AND ") for name in tests]
            either, either_params = _sql(*others, sep=") OR (")
            where.append((f"(({either}))", either_params))
        failed_name = _sql(("CASE", []), *((f"WHEN NOT ({sql}) THEN %s", [*params, name])
                                           for name, (sql, params) in tests.items()), ("END", []))
        # only documents passing every filter are ranked: the others are counted, never shown
        score = _sql(("CASE WHEN (", []), failed_name, (") IS NULL THEN", []), score, ("END", []))
    elif tests:
        where += tests.values()
    relevance = request.clauses and request.sort == "relevance"
    order = "score DESC, published_at DESC, id ASC" if relevance else "published_at DESC, id DESC"
    # counts are grouped on (value id, failed filter) first and labelled afterwards, so the join to the
    # dictionary touches a hundred-odd groups rather than every unnested id
    return _sql(
        ("WITH m AS MATERIALIZED (SELECT d.id, d.published_at,", []), score, ("AS score,", []),
        (f"{vendor.facets} AS f,", []), failed_name, (f"AS failed_name FROM {TABLE} d WHERE", []),
        _sql(*where, sep=" AND "),
        (") SELECT 'value', v.name, v.value, v.label, c.n FROM (SELECT u.id, u.failed_name, COUNT(*) AS n "
         f"FROM {vendor.unnest('m')} u GROUP BY u.id, u.failed_name) c JOIN {VALUES} v ON v.id = c.id "
         "WHERE c.failed_name IS NULL OR v.name = c.failed_name "
         "UNION ALL SELECT 'total', NULL, NULL, NULL, COUNT(*) FROM m WHERE failed_name IS NULL "
         "UNION ALL SELECT 'hit', NULL, NULL, NULL, p.id FROM (SELECT id FROM m WHERE failed_name IS NULL "
         f"ORDER BY {order} LIMIT %s OFFSET %s) p", [request.page_size, request.offset]),
    )


def _pass(request: SearchRequest, filters: dict[str, list[int]], *, keep_failing_one: bool):
    sql, params = _pass_sql(request, filters, keep_failing_one=keep_failing_one)
    counts: dict[str, dict[str, tuple[str, int]]] = {}
    total, ids = 0, []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, name, value, label, number in cursor.fetchall():
            if part == "value":  # a value comes once from documents passing all filters, once from the rest
                _label, before = counts.setdefault(name, {}).get(value, (label, 0))
                counts[name][value] = (label, before + number)
            elif part == "total":
                total = number
            else:
                ids.append(number)
    return counts, total, ids


def _stored_counts(request: SearchRequest, names: list[str] | None) -> dict[str, dict[str, tuple[str, int]]]:
    """Counts over every document the user may see, from the dictionary (``names``: only these facets)."""
    columns = [f"{audience}_count" for audience in (Audience.PUBLIC, Audience.LOGIN) if audience in request.audiences]
    values = IndexedFacetValue.objects.all() if names is None else IndexedFacetValue.objects.filter(name__in=names)
    counts: dict[str, dict[str, tuple[str, int]]] = {}
    for row in values.values("name", "value", "label", *columns):
        number = sum(row[column] for column in columns)
        if number:
            counts.setdefault(row["name"], {})[row["value"]] = (row["label"], number)
    return counts


def _newest(request: SearchRequest) -> list[int]:
    """The page's ids when browsing everything: newest first, from the (audience, date) index."""
    rows = IndexedDocument.objects.filter(audience__in=request.audiences).order_by("-published_at", "-id")
    return list(rows.values_list("id", flat=True)[request.offset:request.offset + request.page_size])


def _page(ids: list[int]) -> list[RawHit]:
    rows = IndexedDocument.objects.only(*PAGE_FIELDS).in_bulk(ids)
    return [RawHit(**{field: getattr(rows[pk], field) for field in PAGE_FIELDS if field != "body"},
                   body=rows[pk].body[:text.MAX_BODY_CHARS]) for pk in ids if pk in rows]


class SearchBackend(BaseSearchBackend):
    def search(self, request: SearchRequest) -> SearchResults:
        filters = _filter_ids(request)
        if request.clauses or len(filters) > 1:
            counts, total, ids = _pass(request, filters, keep_failing_one=True)
        elif filters:  # browsing one filter: its alternatives are counted over everything, in the dictionary
            counts, total, ids = _pass(request, filters, keep_failing_one=False)
            counts.update(_stored_counts(request, list(filters)))
        else:  # browsing everything: every count is in the dictionary
            counts = _stored_counts(request, None)
            total = sum(number for _label, number in counts.get("kind", {}).values())
            ids = _newest(request)
        return self.results(request, total=total, hits=_page(ids), counts=counts)

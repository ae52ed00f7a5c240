"""Elasticsearch backend (``elasticsearch.dsl``), for a province-wide cluster.

- Text arrives already segmented by ``search.text`` (jieba + pinyin), so the index analyses it with a
  whitespace tokenizer and lower-casing only (``segmented``); ``.prefix`` sub-fields add edge n-grams so
  typed-so-far pinyin matches (``niu`` → ``niuyang``) without a plugin on the cluster.
- Indices are ``<alias>-<timestamp>`` created from a composable index template; searches and writes go
  through the alias. ``reindex()`` fills a fresh index in bulk, replays what changed meanwhile, then
  swaps the alias atomically and drops the old index: zero downtime.
- The document store (``search.models``) stays the source; publish/unpublish reach the index after
  commit through ``documents_changed``/``documents_removed``.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.dsl import (
    ComposableIndexTemplate,
    Date,
    Document,
    Index,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from search import text
from search.data import FACETS, SearchResults
from search.models import IndexedDocument

from .base import BaseSearchBackend, RawHit, SearchRequest

logger = logging.getLogger(__name__)

segmented = analyzer("segmented", tokenizer="whitespace", filter=["lowercase"])
edge = token_filter("prefix_edge", "edge_ngram", min_gram=1, max_gram=20)
segmented_prefix = analyzer("segmented_prefix", tokenizer="whitespace", filter=["lowercase", edge])


def _terms_field() -> Text:
    return Text(analyzer=segmented, fields={"prefix": Text(analyzer=segmented_prefix, search_analyzer=segmented)})


class SearchDoc(Document):
    key = Keyword()
    kind = Keyword()
    audience = Keyword()
    published_at = Date()
    title = Keyword(index=False)
    url = Keyword(index=False)
    summary = Text(index=False)
    body = Text(index=False)
    title_terms = _terms_field()
    pinyin_terms = _terms_field()
    body_terms = Text(analyzer=segmented)
    industry = Keyword()
    level = Keyword()
    resource_type = Keyword()
    institution = Keyword()
    cluster = Keyword()
    program = Keyword()
    certificate = Keyword()
    # "<value>\x1f<label>" per facet value: aggregated, so facet labels come back with their counts
    facet_labels = Keyword()


EXACT_FIELDS = ["title_terms^4", "pinyin_terms^2", "body_terms"]
PREFIX_FIELDS = ["title_terms.prefix^2", "pinyin_terms.prefix"]
FACET_SIZE = 50
SEP = "\x1f"


def index_template(alias: str) -> ComposableIndexTemplate:
    """The template every ``<alias>-*`` index is created from (settings, analysers, mapping)."""
    index = Index(f"{alias}-*")
    index.settings(number_of_shards=1, number_of_replicas=1, max_ngram_diff=19)
    index.document(SearchDoc)
    return ComposableIndexTemplate(f"{alias}-template", f"{alias}-*", index=index, priority=100)


def _term(term: str, prefix: bool) -> Q:
    fields = EXACT_FIELDS + (PREFIX_FIELDS if prefix else [])
    return Q("multi_match", query=term, fields=fields, type="best_fields")


def _clause(clause: text.Clause) -> Q:
    alternatives = [
        Q("bool", must=[_term(t, clause.prefix) for t in alternative]) if len(alternative) > 1
        else _term(alternative[0], clause.prefix)
        for alternative in clause.alternatives
    ]
    return alternatives[0] if len(alternatives) == 1 else Q("bool", should=alternatives, minimum_should_match=1)


def _facet_filters(filters: dict[str, list[str]], *, skip: str = "") -> list[Q]:
    return [Q("terms", **{name: values}) for name, values in filters.items() if name != skip and values]


def build_search(request: SearchRequest, *, index: str) -> Search:
    """The search request body: match, audience filter, facet post-filter, disjunctive facet aggs."""
    must = [_clause(c) for c in request.clauses] or [Q("match_all")]
    search = Search(index=index).query(Q("bool", must=must, filter=[Q("terms", audience=list(request.audiences))]))
    post = _facet_filters(request.filters)
    if post:
        search = search.post_filter(Q("bool", filter=post))
    for name in FACETS:
        others = _facet_filters(request.filters, skip=name)
        agg = search.aggs.bucket(name, "filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        agg.bucket("values", "terms", field="facet_labels", include=f"{name}{SEP}.*", size=FACET_SIZE)
    if request.sort == "relevance" and request.clauses:
        search = search.sort("_score", {"published_at": {"order": "desc"}}, {"key": {"order": "asc"}})
    else:
        search = search.sort({"published_at": {"order": "desc"}}, {"key": {"order": "asc"}})
    search = search.source(["key", "kind", "title", "url", "published_at", "summary", "body"])
    search = search.extra(track_total_hits=True)
    return search[request.offset:request.offset + request.page_size]


def to_source(row: IndexedDocument) -> dict:
    """The Elasticsearch document for a stored row (facets prefetched as ``facet_values``)."""
    source = {
        "key": row.key, "kind": row.kind, "audience": row.audience, "published_at": row.published_at.isoformat(),
        "title": row.title, "url": row.url, "summary": row.summary, "body": row.body,
        "title_terms": row.title_terms, "pinyin_terms": row.pinyin_terms, "body_terms": row.body_terms,
        "facet_labels": [],
    }
    for facet in row.facet_values.all():
        if facet.name != "kind":
            source.setdefault(facet.name, []).append(facet.value)
        source["facet_labels"].append(f"{facet.name}{SEP}{facet.value}{SEP}{facet.label}")
    return source


class SearchBackend(BaseSearchBackend):
    def __init__(self, options: dict):
        super().__init__(options)
        self.alias = options.get("INDEX", "skills-gansu")
        self.client = options.get("CLIENT") or Elasticsearch(options["URL"], request_timeout=10)

    # ---- writes ----
    def _actions(self, rows: Iterable[IndexedDocument], index: str):
        for row in rows:
            yield {"_op_type": "index", "_index": index, "_id": row.key, "_source": to_source(row)}

    def _rows(self, keys: list[str] | None = None, *, since: datetime | None = None):
        rows = IndexedDocument.objects.prefetch_related("facet_values").order_by("id")
        if keys is not None:
            rows = rows.filter(key__in=keys)
        if since is not None:
            rows = rows.filter(indexed_at__gte=since)
        return rows.iterator(chunk_size=500)

    # A cluster outage must not fail a teacher's publish: the store already holds the document, and
    # ``search_rebuild --index-only`` brings the index back in step.
    def documents_changed(self, keys: list[str]) -> None:
        try:
            helpers.bulk(self.client, self._actions(self._rows(keys), self.alias))
        except (ApiError, TransportError, helpers.BulkIndexError):
            logger.exception("Elasticsearch update failed for %d document(s); run search_rebuild", len(keys))

    def documents_removed(self, keys: list[str]) -> None:
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys)
        try:
            helpers.bulk(self.client, actions, raise_on_error=False)
        except (ApiError, TransportError):
            logger.exception("Elasticsearch delete failed for %d document(s); run search_rebuild", len(keys))

    def reindex(self, *, progress: Callable[[int], None] | None = None) -> str:
        """Build a new index from the store and switch the alias to it; returns the new index name."""
        started = timezone.now()
        index_template(self.alias).save(using=self.client)
        new_index = f"{self.alias}-{started:%Y%m%d%H%M%S%f}"
        self.client.indices.create(index=new_index)
        for ok, _item in helpers.streaming_bulk(self.client, self._actions(self._rows(), new_index),
                                                 chunk_size=500):
            if progress and ok:
                progress(1)
        helpers.bulk(self.client, self._actions(self._rows(since=started), new_index))  # changed meanwhile
        self.client.indices.refresh(index=new_index)
        try:
            old = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            old = []
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        return new_index

    # ---- reads ----
    def search(self, request: SearchRequest) -> SearchResults:
        response = self.client.search(index=self.alias, body=build_search(request, index=self.alias).to_dict())
        return parse_response(request, response)


def parse_response(request: SearchRequest, response: dict) -> SearchResults:
    hits = []
    for item in response["hits"]["hits"]:
        source = item["_source"]
        hits.append(RawHit(
            key=source["key"], kind=source["kind"], title=source["title"], url=source["url"],
            published_at=datetime.fromisoformat(source["published_at"]), summary=source.get("summary", ""),
            body=source.get("body", ""), score=item.get("_score") or 0.0,
        ))
    counts: dict[str, dict[str, tuple[str, int]]] = {}
    for name in FACETS:
        buckets = response.get("aggregations", {}).get(name, {}).get("values", {}).get("buckets", [])
        for bucket in buckets:
            _name, value, label = bucket["key"].split(SEP, 2)
            counts.setdefault(name, {})[value] = (label, bucket["doc_count"])
    return BaseSearchBackend.results(request, total=response["hits"]["total"]["value"], hits=hits, counts=counts)

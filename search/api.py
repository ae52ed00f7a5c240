"""Public interface of ``search``: put documents in, take results out.

Content apps push a :class:`search.data.SearchDocument` whenever a page is published and remove it when
it is unpublished, deleted or restricted (``courses/sync_search.py``). Writes go to the document store
(``search.models``) in one transaction; the configured backend hears about them after commit.
``search()`` validates its arguments and raises :class:`InvalidSearch` (a ``ValueError`` whose message
a person can act on) rather than guessing.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import partial

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from search import text
from search.backends import get_backend
from search.backends.base import SearchRequest
from search.data import AUDIENCES, FACETS, Audience, FacetValue, SearchDocument, SearchResults
from search.models import IndexedDocument, IndexedFacet, IndexedFacetValue

__all__ = [
    "InvalidSearch", "MAX_PAGE", "MAX_PAGE_SIZE", "SORTS", "audiences_for", "index_document", "index_documents",
    "rebuild", "recount_facet_values", "register_source", "remove_documents", "search",
]

SORTS = ("relevance", "date")
MAX_PAGE_SIZE = 50
MAX_PAGE = 200
MAX_FILTER_VALUES = 20
MAX_VALUE_CHARS = 64

_sources: list[Callable[[], Iterable[SearchDocument]]] = []


class InvalidSearch(ValueError):
    """A search request that cannot be answered as asked; the message says what to change."""


def _fields(doc: SearchDocument) -> dict:
    return dict(
        kind=doc.kind, title=doc.title[:255], url=doc.url[:500], summary=doc.summary, body=doc.body,
        audience=doc.audience, published_at=doc.published_at,
        title_terms=text.title_terms(doc.title),
        # keywords' pinyin weighs like body text, so a title match in pinyin still ranks first
        pinyin_terms=text.pinyin_terms(doc.title),
        body_terms=text.body_terms(doc.summary, doc.keywords, doc.body) + " " + text.pinyin_terms(doc.keywords),
    )


def _facet_rows(doc: SearchDocument) -> list[tuple[str, str, str]]:
    facets = {"kind": (FacetValue(doc.kind, doc.kind),), **doc.facets}
    rows = {
        (name, fv.value[:MAX_VALUE_CHARS]): fv.label[:128]
        for name, facet_values in facets.items() for fv in facet_values if fv.value
    }
    return [(name, value, label) for (name, value), label in rows.items()]


def _value_ids(rows: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], int]:
    """Dictionary ids for (name, value) pairs, creating missing values and refreshing changed labels."""
    labels = {(name, value): label for name, value, label in rows}
    if not labels:
        return {}

    def existing():
        found = IndexedFacetValue.objects.filter(name__in={n for n, _ in labels}, value__in={v for _, v in labels})
        found = found.values_list("id", "name", "value", "label")
        return {(n, v): (pk, label) for pk, n, v, label in found if (n, v) in labels}

    known = existing()
    missing = [IndexedFacetValue(name=n, value=v, label=labels[(n, v)]) for n, v in labels if (n, v) not in known]
    if missing:  # a concurrent writer may create the same value: keep theirs
        IndexedFacetValue.objects.bulk_create(missing, ignore_conflicts=True)
        known = existing()
    for pair, (pk, label) in known.items():
        if label != labels[pair]:  # the latest label wins
            IndexedFacetValue.objects.filter(pk=pk).update(label=labels[pair])
    return {pair: pk for pair, (pk, _label) in known.items()}


def _adjust_counts(deltas: Counter) -> None:
    """Add ``deltas[(value id, audience)]`` to the values' document counts, rows locked in id order
    first so that two writers touching the same values wait for each other instead of deadlocking."""
    deltas = Counter({key: n for key, n in deltas.items() if n})
    if not deltas:
        return
    ids = sorted({value_id for value_id, _audience in deltas})
    list(IndexedFacetValue.objects.select_for_update().filter(id__in=ids).order_by("id").values_list("id"))
    for audience in AUDIENCES:
        column = f"{audience}_count"
        changes = [When(id=value_id, then=Value(n)) for (value_id, a), n in deltas.items() if a == audience]
        if changes:
            # never below zero: a row written behind search.api's back must not make an unpublish fail;
            # the next rebuild() recounts exactly
            IndexedFacetValue.objects.filter(id__in=ids).update(
                **{column: Greatest(F(column) + Case(*changes, default=0), 0)})


def _previous(keys: Iterable[str]) -> dict[str, tuple[int, str, list[int]]]:
    """(id, audience, facet ids) of the stored documents with ``keys``, locked until the transaction ends."""
    rows = IndexedDocument.objects.select_for_update().filter(key__in=list(keys)).order_by("key")
    return {key: (pk, audience, facet_ids) for key, pk, audience, facet_ids
            in rows.values_list("key", "id", "audience", "facet_ids")}


def _store(documents: list[SearchDocument]) -> None:
    prepared = [(doc, _fields(doc), _facet_rows(doc)) for doc in documents]
    ids = _value_ids(row for _doc, _fields_, rows in prepared for row in rows)
    previous = _previous(doc.key for doc in documents)
    deltas: Counter = Counter()
    for doc, values, rows in prepared:
        facet_ids = sorted({ids[(name, value)] for name, value, _label in rows})
        if doc.key in previous:
            _pk, audience, old_ids = previous[doc.key]
            deltas.update({(value_id, audience): -1 for value_id in old_ids})
        deltas.update({(value_id, doc.audience): 1 for value_id in facet_ids})
        stored, _created = IndexedDocument.objects.update_or_create(
            key=doc.key, defaults={**values, "facet_ids": facet_ids})
        previous[doc.key] = (stored.pk, doc.audience, facet_ids)  # the same key twice in one batch
        IndexedFacet.objects.filter(document=stored).delete()
        IndexedFacet.objects.bulk_create([
            IndexedFacet(document=stored, name=name, value=value, label=label) for name, value, label in rows
        ])
    _adjust_counts(deltas)


def index_documents(documents: Iterable[SearchDocument]) -> int:
    """Store (insert or replace) ``documents`` all or nothing; returns how many were stored."""
    documents = list(documents)
    keys = [doc.key for doc in documents]
    with transaction.atomic():
        _store(documents)
        if keys:
            transaction.on_commit(partial(get_backend().documents_changed, keys))
    return len(keys)


def index_document(document: SearchDocument) -> None:
    """Store one document, replacing any earlier version with the same key."""
    index_documents([document])


def remove_documents(keys: Iterable[str]) -> int:
    """Forget the documents with ``keys`` (unknown keys are ignored); returns how many were removed."""
    keys = list(keys)
    with transaction.atomic():
        previous = _previous(keys)
        deltas: Counter = Counter()
        for _pk, audience, facet_ids in previous.values():
            deltas.update({(value_id, audience): -1 for value_id in facet_ids})
        IndexedDocument.objects.filter(pk__in=[pk for pk, _audience, _ids in previous.values()]).delete()
        _adjust_counts(deltas)
        if keys:
            transaction.on_commit(partial(get_backend().documents_removed, keys))
    return len(previous)


def recount_facet_values() -> None:
    """Set every facet value's document counts from the stored documents (after bulk loads; heals drift)."""
    counts: Counter = Counter()
    with transaction.atomic():
        values = list(IndexedFacetValue.objects.select_for_update().order_by("id"))
        for audience, facet_ids in IndexedDocument.objects.values_list("audience", "facet_ids").iterator(5000):
            counts.update((value_id, audience) for value_id in facet_ids)
        for value in values:
            value.public_count = counts[(value.pk, Audience.PUBLIC)]
            value.login_count = counts[(value.pk, Audience.LOGIN)]
        IndexedFacetValue.objects.bulk_update(values, ["public_count", "login_count"], batch_size=1000)


def audiences_for(user) -> tuple[str, ...]:
    """Which audiences ``user`` may see: everyone sees public documents; signed-in users more."""
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active:
        return (Audience.PUBLIC, Audience.LOGIN)
    return (Audience.PUBLIC,)


def _clean_filters(filters: Mapping[str, Iterable[str]] | None) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if name not in FACETS:
            raise InvalidSearch(_("Unknown filter “%(name)s”; filters are: %(names)s.") % {
                "name": name[:40], "names": ", ".join(FACETS)})
        values = [values] if isinstance(values, str) else list(values)
        values = [v.strip() for v in values if v and v.strip()]
        if len(values) > MAX_FILTER_VALUES:
            raise InvalidSearch(_("Too many values for filter “%(name)s” (at most %(limit)d).") % {
                "name": name, "limit": MAX_FILTER_VALUES})
        if any(len(v) > MAX_VALUE_CHARS for v in values):
            raise InvalidSearch(_("A value of filter “%(name)s” is longer than %(limit)d characters.") % {
                "name": name, "limit": MAX_VALUE_CHARS})
        if values:
            cleaned[name] = list(dict.fromkeys(values))
    return cleaned


def search(
    query: str, *, user=None, filters: Mapping[str, Iterable[str]] | None = None,
    sort: str = "relevance", page: int = 1, page_size: int = 20,
) -> SearchResults:
    """Published documents ``user`` may see that match ``query`` and ``filters``, one page of them.

    ``query`` may be Chinese, pinyin or initials (up to ``text.MAX_QUERY_CHARS`` characters); an empty
    query lists everything matching the filters, newest first. Hits carry escaped, ``<mark>``-ed title
    and snippet HTML; facets carry counts for each value.
    """
    query = (query or "").strip()
    if len(query) > text.MAX_QUERY_CHARS:
        raise InvalidSearch(_("The search text is too long: at most %(limit)d characters.") % {
            "limit": text.MAX_QUERY_CHARS})
    if sort not in SORTS:
        raise InvalidSearch(_("Unknown sort “%(sort)s”; use one of: %(sorts)s.") % {
            "sort": str(sort)[:20], "sorts": ", ".join(SORTS)})
    if not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise InvalidSearch(_("The page must be a whole number from 1 to %(limit)d.") % {"limit": MAX_PAGE})
    if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidSearch(_("The page size must be a whole number from 1 to %(limit)d.") % {"limit": MAX_PAGE_SIZE})
    clauses = text.parse_query(query)
    request = SearchRequest(
        query=query, clauses=clauses, audiences=audiences_for(user), filters=_clean_filters(filters),
        sort=sort if clauses else "date", page=page, page_size=page_size,
    )
    return get_backend().search(request)


def register_source(source: Callable[[], Iterable[SearchDocument]]) -> None:
    """Register a callable yielding every document a content app currently publishes (for rebuilds)."""
    if source not in _sources:
        _sources.append(source)


def rebuild(*, batch_size: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Re-create the store from the registered sources and drop documents no source yields any more."""
    seen: set[str] = set()
    batch: list[SearchDocument] = []
    for source in _sources:
        for doc in source():
            batch.append(doc)
            if len(batch) >= batch_size:
                seen.update(d.key for d in batch)
                index_documents(batch)
                if progress:
                    progress(len(batch))
                batch = []
    if batch:
        seen.update(d.key for d in batch)
        index_documents(batch)
        if progress:
            progress(len(batch))
    stale = set(IndexedDocument.objects.values_list("key", flat=True)) - seen
    if stale:
        remove_documents(sorted(stale))
    recount_facet_values()
    return len(seen)

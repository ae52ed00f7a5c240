"""The contract every search backend meets.

The document store (``search.models``) is always written first by ``search.api``; a backend is told
which keys changed after the transaction commits and answers queries. The database backend reads the
store directly; the Elasticsearch backend mirrors it into an index.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from search import text
from search.data import FACETS, FacetCount, Hit, SearchResults


@dataclass(frozen=True)
class SearchRequest:
    """A validated query: what ``search.api.search`` hands to a backend."""

    query: str
    clauses: list[text.Clause]
    audiences: tuple[str, ...]
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class RawHit:
    key: str
    kind: str
    title: str
    url: str
    published_at: datetime
    summary: str
    body: str
    score: float = 0.0


class BaseSearchBackend(ABC):
    def __init__(self, options: dict):
        self.options = options

    def documents_changed(self, keys: list[str]) -> None:  # noqa: B027 (optional hook)
        """Called after commit with the keys whose stored documents were written."""

    def documents_removed(self, keys: list[str]) -> None:  # noqa: B027 (optional hook)
        """Called after commit with the keys whose documents were deleted."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResults:
        """Answer ``request``: one page of hits, the total, and facet counts."""

    # ---- shared helpers ----
    @staticmethod
    def results(request: SearchRequest, *, total: int, hits: list[RawHit],
                counts: dict[str, dict[str, tuple[str, int]]]) -> SearchResults:
        """Assemble results: highlight hits, order facet values by count then label."""
        facets = {}
        for name in FACETS:
            selected = set(request.filters.get(name, ()))
            values = counts.get(name, {})
            facet = [FacetCount(value, label, count, value in selected) for value, (label, count) in values.items()]
            facet.sort(key=lambda f: (-f.count, f.label, f.value))
            facets[name] = facet
        return SearchResults(
            query=request.query, sort=request.sort, page=request.page, page_size=request.page_size,
            total=total, filters=request.filters, facets=facets,
            hits=[_highlight(hit, request.clauses) for hit in hits],
        )


def _highlight(hit: RawHit, clauses: list[text.Clause]) -> Hit:
    source = hit.summary or hit.body
    snippet = text.snippet(source, clauses)
    if clauses and "<mark>" not in snippet and hit.summary and hit.body:
        body_snippet = text.snippet(hit.body, clauses)
        if "<mark>" in body_snippet:
            snippet = body_snippet
    return Hit(
        key=hit.key, kind=hit.kind, title=hit.title, url=hit.url, published_at=hit.published_at,
        title_html=text.highlight(hit.title, clauses), snippet_html=snippet, score=hit.score,
    )

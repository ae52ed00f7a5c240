"""The shapes that cross the boundary of ``search``: documents going in, results coming out.

Content apps (``courses``) build a :class:`SearchDocument` for each published page and hand it to
``search.api.index_document``; ``search`` never imports them. Facet values are stable codes with a
display label, so a result page can show 牛 while the URL carries ``industry=cattle``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

FACETS = ("kind", "industry", "level", "resource_type", "institution", "cluster", "program", "certificate")
KINDS = ("course", "lesson", "resource", "library", "package")


class Audience:
    PUBLIC = "public"  # anyone
    LOGIN = "login"  # any signed-in user (Wagtail "private, logged-in users" restriction)


AUDIENCES = (Audience.PUBLIC, Audience.LOGIN)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str


@dataclass(frozen=True)
class SearchDocument:
    """One searchable page. ``key`` is unique and stable (``page:<id>``); re-indexing replaces it."""

    key: str
    kind: str
    title: str
    url: str
    published_at: datetime
    summary: str = ""
    body: str = ""
    keywords: str = ""
    audience: str = Audience.PUBLIC
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown document kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        if self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}; expected one of {', '.join(AUDIENCES)}")
        unknown = set(self.facets) - set(FACETS)
        if unknown:
            raise ValueError(f"unknown facet(s) {', '.join(sorted(unknown))}; expected {', '.join(FACETS)}")
        if not self.key or len(self.key) > 64:
            raise ValueError("a document key is 1-64 characters")


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    title: str
    url: str
    published_at: datetime
    title_html: str  # escaped, matches in <mark>
    snippet_html: str  # escaped, matches in <mark>
    score: float = 0.0


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class SearchResults:
    query: str
    sort: str
    page: int
    page_size: int
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    filters: dict[str, list[str]]

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

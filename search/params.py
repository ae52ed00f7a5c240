"""Reading search parameters from a query string, shared by the HTML page and the JSON API.

Both answer bad input the same way: :class:`search.api.InvalidSearch` with a message naming the
parameter, which the views turn into a 400.
"""
from __future__ import annotations

from django.http import QueryDict

from search.api import MAX_PAGE, MAX_PAGE_SIZE, SORTS, InvalidSearch
from search.data import FACETS

KNOWN = {"q", "sort", "page", "page_size", *FACETS}


def _whole_number(params: QueryDict, name: str, default: int, upper: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidSearch(f"Parameter {name!r} must be a whole number from 1 to {upper}, not {raw[:20]!r}.")
    if not 1 <= value <= upper:
        raise InvalidSearch(f"Parameter {name!r} must be a whole number from 1 to {upper}.")
    return value


def search_arguments(params: QueryDict, *, strict: bool, default_page_size: int = 20) -> dict:
    """Keyword arguments for ``search.api.search`` (minus ``user``); ``strict`` rejects unknown names."""
    if strict:
        unknown = sorted(set(params) - KNOWN)
        if unknown:
            raise InvalidSearch(
                f"Unknown parameter(s): {', '.join(unknown)}. Known parameters: {', '.join(sorted(KNOWN))}."
            )
    for name in ("q", "sort", "page", "page_size"):
        if len(params.getlist(name)) > 1:
            raise InvalidSearch(f"Parameter {name!r} may be given once only.")
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidSearch(f"Parameter 'sort' must be one of: {', '.join(SORTS)}.")
    return {
        "query": params.get("q", ""),
        "sort": sort,
        "page": _whole_number(params, "page", 1, MAX_PAGE),
        "page_size": _whole_number(params, "page_size", default_page_size, MAX_PAGE_SIZE),
        "filters": {name: params.getlist(name) for name in FACETS if params.getlist(name)},
    }

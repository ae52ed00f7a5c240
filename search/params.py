"""Reading search parameters from a query string, shared by the HTML page and the JSON API.

Both answer bad input the same way: :class:`search.api.InvalidSearch` with a message naming the
parameter, which the views turn into a 400.
"""
from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

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
        raise InvalidSearch(_("Parameter “%(name)s” must be a whole number from 1 to %(limit)d, not “%(value)s”.")
                            % {"name": name, "limit": upper, "value": raw[:20]})
    if not 1 <= value <= upper:
        raise InvalidSearch(_("Parameter “%(name)s” must be a whole number from 1 to %(limit)d.")
                            % {"name": name, "limit": upper})
    return value


def search_arguments(params: QueryDict, *, strict: bool, default_page_size: int = 20) -> dict:
    """Keyword arguments for ``search.api.search`` (minus ``user``); ``strict`` rejects unknown names."""
    if strict:
        unknown = sorted(set(params) - KNOWN)
        if unknown:
            raise InvalidSearch(_("Unknown parameter(s): %(unknown)s. Known parameters: %(known)s.") % {
                "unknown": ", ".join(u[:40] for u in unknown[:5]), "known": ", ".join(sorted(KNOWN))})
    for name in ("q", "sort", "page", "page_size"):
        if len(params.getlist(name)) > 1:
            raise InvalidSearch(_("Parameter “%(name)s” may be given once only.") % {"name": name})
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidSearch(_("Parameter “sort” must be one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)})
    return {
        "query": params.get("q", ""),
        "sort": sort,
        "page": _whole_number(params, "page", 1, MAX_PAGE),
        "page_size": _whole_number(params, "page_size", default_page_size, MAX_PAGE_SIZE),
        "filters": {name: params.getlist(name) for name in FACETS if params.getlist(name)},
    }

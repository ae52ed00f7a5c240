"""``GET /api/v1/search/``: the JSON twin of the search page (documented in the project README)."""
from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from search import api
from search.params import search_arguments


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def search_json(request):
    try:
        results = api.search(user=request.user, **search_arguments(request.GET, strict=True))
    except api.InvalidSearch as error:
        return _error(str(error), 400)
    body = {
        "query": results.query,
        "sort": results.sort,
        "page": results.page,
        "page_size": results.page_size,
        "total": results.total,
        "num_pages": results.num_pages,
        "filters": results.filters,
        "results": [
            {
                "key": hit.key, "kind": hit.kind, "title": hit.title, "url": hit.url,
                "published_at": hit.published_at.isoformat(), "title_html": hit.title_html,
                "snippet_html": hit.snippet_html,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [{"value": f.value, "label": f.label, "count": f.count, "selected": f.selected} for f in values]
            for name, values in results.facets.items()
        },
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})

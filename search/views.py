"""The search page, ``/search/?q=``: a plain GET form with facet links, readable without JavaScript."""
from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from search import api, text
from search.params import search_arguments

FACET_TITLES = {
    "kind": _("Type of content"),
    "industry": _("Industry"),
    "level": _("Level"),
    "resource_type": _("Resource type"),
    "institution": _("Institution"),
    "cluster": _("Cluster"),
    "program": _("Training program"),
    "certificate": _("1+X certificate"),
}
KIND_LABELS = {
    "course": _("Course"),
    "lesson": _("Lesson"),
    "resource": _("Resource"),
    "library": _("Resource library"),
    "package": _("Training package"),
}


FACET_VALUES_SHOWN = 12


def _toggle(request, name: str, facet) -> str:
    """The query string that selects ``facet`` (replacing others of its kind) or removes it if selected."""
    params = request.GET.copy()
    params.pop("page", None)
    if facet.selected:
        params.setlist(name, [v for v in params.getlist(name) if v != facet.value])
    else:
        params.setlist(name, [facet.value])
    return "?" + params.urlencode()


@require_GET
def search_page(request):
    context = {"query": request.GET.get("q", "")[:text.MAX_QUERY_CHARS], "kind_labels": KIND_LABELS}
    status = 200
    try:
        arguments = search_arguments(request.GET, strict=False)
        results = api.search(user=request.user, **arguments)
    except api.InvalidSearch as error:
        context["error"] = str(error)
        status = 400
    else:
        context["results"] = results
        context["facets"] = [
            (name, FACET_TITLES[name], [
                (KIND_LABELS.get(f.value, f.label) if name == "kind" else f.label, f, _toggle(request, name, f))
                for f in values[:FACET_VALUES_SHOWN]
            ])
            for name, values in results.facets.items() if values
        ]
    return render(request, "search/search.html", context, status=status)

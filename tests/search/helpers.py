"""Build search documents directly (the store's public input), without a page tree."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from search.data import Audience, FacetValue, SearchDocument

_seq = itertools.count(1)
BASE_TIME = datetime(2026, 1, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def doc(title: str, *, kind="course", summary="", body="", keywords="", audience=Audience.PUBLIC,
        days=0, facets=None, key=None) -> SearchDocument:
    n = next(_seq)
    return SearchDocument(
        key=key or f"test:{n}", kind=kind, title=title, url=f"/t/{n}/", summary=summary, body=body,
        keywords=keywords, audience=audience, published_at=BASE_TIME + timedelta(days=days),
        facets={name: tuple(FacetValue(v, label) for v, label in values) for name, values in (facets or {}).items()},
    )


def ensure_wagtail_root() -> None:
    """Wagtail's tree root, root collection and default locale (a transactional test may have flushed them)."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))

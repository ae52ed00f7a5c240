"""Writing imported rows as Wagtail pages, keeping Wagtail's history: every change is a revision.

New pages are published at once (the import is run by provincial staff). An existing page is edited
from what its editors see: the live row, or its latest draft if it has unpublished changes. The new
revision is published only if the page was live with nothing pending, so an import never publishes
a teacher's unfinished draft nor re-publishes a withdrawn page.
"""
from __future__ import annotations

from django.utils.text import slugify
from wagtail.models import Page


def editable(page: Page) -> Page:
    if page.live and not page.has_unpublished_changes:
        return page
    return page.get_latest_revision_as_object() if page.latest_revision_id else page


def publishes_updates(page: Page) -> bool:
    return page.live and not page.has_unpublished_changes


def free_slug(parent: Page, wanted: str, fallback: str) -> str:
    base = slugify(wanted)[:60] or slugify(fallback)[:60] or "item"
    taken = set(Page.objects.child_of(parent).filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_published(parent: Page, page: Page) -> Page:
    page.live = False
    parent.add_child(instance=page)
    page.save_revision(log_action=True).publish()
    return page


def save_update(page: Page, *, publish: bool) -> None:
    revision = page.save_revision(log_action=True)
    if publish:
        revision.publish()


def m2m_differs(page: Page, name: str, wanted: list) -> bool:
    return {obj.pk for obj in getattr(page, name).all()} != {obj.pk for obj in wanted}

"""Push courses and training packages to ``lms.enrollment`` as offerings (contract 3).

``lms`` may not import ``courses``, so publishing a ``CoursePage`` or ``TrainingPackagePage`` calls
``lms.enrollment.api.publish_offering`` with the page's activity IRI (contract 2), title, address,
institution, quota and, for a package, the IRIs of its courses; unpublishing or deleting it calls
``withdraw_offering`` (existing enrolments stay, new ones are refused). Runs after the publishing
transaction commits, so a rolled-back publish pushes nothing.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from lms.enrollment import api as enrollment
from lms.xapi.api import activity_iri

from .models import CoursePage, PackageItem, TrainingPackagePage

__all__ = ["connect", "offering_iri", "push_offering", "sync_all"]


def offering_iri(page) -> str:
    kind = "package" if isinstance(page, TrainingPackagePage) else "course"
    return activity_iri(kind, page.code)


def _member_iris(package: TrainingPackagePage) -> list[str]:
    """The package's courses (live or not: enrolment skips members that are not published when it runs)."""
    item_ids = PackageItem.objects.filter(package=package).order_by("sort_order").values_list("item_id", flat=True)
    codes = dict(CoursePage.objects.filter(pk__in=list(item_ids)).values_list("pk", "code"))
    return [activity_iri("course", codes[pk]) for pk in item_ids if pk in codes]


def push_offering(page) -> None:
    """Publish ``page``'s offering if it is live, withdraw it otherwise."""
    page = page.specific
    iri = offering_iri(page)
    if not page.live:
        enrollment.withdraw_offering(iri=iri)
        return
    is_package = isinstance(page, TrainingPackagePage)
    enrollment.publish_offering(
        iri=iri, kind="package" if is_package else "course", title=page.title, url=page.get_url() or page.url_path,
        institution_id=page.institution_id, quota=page.quota if is_package else None,
        is_open=getattr(page, "enrolment_open", True), member_iris=_member_iris(page) if is_package else (),
    )


def _on_publish_change(sender, instance, **kwargs):
    transaction.on_commit(lambda: push_offering(instance))


def _on_delete(sender, instance, **kwargs):
    iri = offering_iri(instance)
    transaction.on_commit(lambda: enrollment.withdraw_offering(iri=iri))


def sync_all() -> int:
    """Push every course and package (after a data import or restore). Returns how many were pushed."""
    pages = [*CoursePage.objects.all(), *TrainingPackagePage.objects.all()]
    for page in pages:
        push_offering(page)
    return len(pages)


def connect() -> None:
    for model in (CoursePage, TrainingPackagePage):
        page_published.connect(_on_publish_change, sender=model,
                               dispatch_uid=f"sync_enrollment.published.{model.__name__}")
        page_unpublished.connect(_on_publish_change, sender=model,
                                 dispatch_uid=f"sync_enrollment.unpublished.{model.__name__}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"sync_enrollment.deleted.{model.__name__}")

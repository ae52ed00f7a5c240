"""Tell ``lms.reports`` what is published, so dashboards count holdings by kind, institution and tag.

The LMS never imports ``courses``; this module, on the courses side, pushes plain values on Wagtail's
publish and unpublish signals.
"""
from __future__ import annotations

from wagtail.signals import page_published, page_unpublished

from lms.reports import api as reports
from lms.xapi import api as xapi

from .models import CoursePage, ResourceLibraryPage, ResourcePage, TrainingPackagePage


def content_iri(page) -> str:
    """The stable IRI a page is counted under (the same one learning statements use)."""
    if isinstance(page, CoursePage):
        return xapi.activity_iri("course", page.code)
    if isinstance(page, TrainingPackagePage):
        return xapi.activity_iri("package", page.code)
    if isinstance(page, ResourcePage):
        return xapi.activity_iri("resource", page.code)
    return xapi.activity_iri("library", str(page.pk))


def _tags(page) -> list[tuple[str, str, str]]:
    if isinstance(page, CoursePage):
        return (
            [("industry", i.code, i.name) for i in page.industries.all()]
            + [("program", p.code, p.name) for p in page.programs.all()]
            + [("certificate", c.code, str(c)) for c in page.skill_certificates.all()]
        )
    if isinstance(page, TrainingPackagePage):
        tags = [("program", page.program.code, page.program.name)]
        if page.skill_certificate_id:
            cert = page.skill_certificate
            tags.append(("certificate", cert.code, str(cert)))
        return tags
    if isinstance(page, ResourcePage) and page.industry_id:
        return [("industry", page.industry.code, page.industry.name)]
    return []


KINDS = {CoursePage: "course", TrainingPackagePage: "package", ResourceLibraryPage: "library", ResourcePage: "resource"}


def on_published(sender, instance, **kwargs):
    page = instance.specific
    institution = page.institution
    cluster = getattr(page, "cluster", "") or (institution.cluster if institution else "")
    reports.describe_content(
        iri=content_iri(page), kind=KINDS[type(page)], title=page.title,
        institution_id=page.institution_id, cluster=cluster,
        is_quality=bool(getattr(page, "is_quality_course", False)), tags=_tags(page),
    )


def on_unpublished(sender, instance, **kwargs):
    reports.withdraw_content(iri=content_iri(instance.specific))


def connect() -> None:
    for model in KINDS:
        page_published.connect(on_published, sender=model, dispatch_uid=f"reports.published.{model.__name__}")
        page_unpublished.connect(on_unpublished, sender=model, dispatch_uid=f"reports.unpublished.{model.__name__}")

"""Authoring set-up: who may write where, and the review that guards publishing (issue 2 §3).

Everything here is expressed in Wagtail's own permission model, so the admin enforces it without
custom checks:

- each institution owns one ``InstitutionSectionPage`` under the catalogue, one Wagtail group
  "<institution name> 教师" and one image/document collection. The group may *add* and *change* pages
  in that section only, never *publish*; it may add, change and choose images and documents in that
  collection only. A teacher is simply a member of the group.
- provincial reviewers ("省级审核员") may change and publish anywhere in the catalogue and choose media
  from every collection.
- publishing goes through the workflow "省级审核": one group-approval task assigned to the reviewers,
  attached to every catalogue index page, so whatever a teacher submits waits for a reviewer, who
  approves (publishes) or requests changes with a comment. Wagtail keeps every revision.
- provincial staff ("省级管理员") maintain the taxonomy snippets; teachers never hold model permissions
  on them.

Invariants: every function is idempotent (safe to call on each save and from ``seed_demo``); groups are
found through the permissions they hold, not only by name, so renaming an institution renames its
group and collection instead of creating new ones.
"""
from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.institutions.api import Institution

from .models import CatalogueIndexPage, InstitutionSectionPage

__all__ = [
    "PROVINCE_STAFF_GROUP", "REVIEWERS_GROUP", "REVIEW_TASK", "REVIEW_WORKFLOW", "TEACHER_GROUP_SUFFIX",
    "AuthoringSetupError", "add_province_staff", "add_reviewer", "add_teacher", "catalogue_pages",
    "ensure_province_staff_group", "ensure_review_workflow", "ensure_reviewers_group", "provision_institution",
    "teacher_group",
]

logger = logging.getLogger(__name__)

TEACHER_GROUP_SUFFIX = " 教师"
REVIEWERS_GROUP = "省级审核员"
PROVINCE_STAFF_GROUP = "省级管理员"
REVIEW_WORKFLOW = "省级审核"
REVIEW_TASK = "省级审核员审核"

# Media permissions live on Wagtail's own models even with custom Image/Document models.
_MEDIA_APPS = {"image": "wagtailimages", "document": "wagtaildocs"}
_TAXONOMY_MODELS = [
    ("courses", "industry"), ("courses", "trainingprogram"), ("courses", "skillcertificate"),
    ("courses", "specialty"), ("institutions", "region"), ("institutions", "institution"),
]


class AuthoringSetupError(LookupError):
    """The content tree is not ready for authoring (no catalogue to hang sections under)."""


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _access_admin() -> Permission:
    return _permission("wagtailadmin", "access_admin")


def _page_permission(action: str) -> Permission:
    return _permission("wagtailcore", f"{action}_page")


def _media_permissions(actions: list[str]) -> list[Permission]:
    return [_permission(app, f"{action}_{kind}") for kind, app in _MEDIA_APPS.items() for action in actions]


def catalogue_pages() -> list[CatalogueIndexPage]:
    """Every catalogue index, the default site's first (that is where institution sections go)."""
    pages = list(CatalogueIndexPage.objects.order_by("path"))
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        root_path = site.root_page.path
        pages.sort(key=lambda page: not page.path.startswith(root_path))
    return pages


def _grant_pages(group: Group, page: Page, actions: list[str]) -> None:
    for action in actions:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_page_permission(action))


def _grant_collection(group: Group, collection: Collection, actions: list[str]) -> None:
    for permission in _media_permissions(actions):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _section_slug(catalogue: CatalogueIndexPage, institution: Institution) -> str:
    slug = institution.slug
    taken = set(catalogue.get_children().values_list("slug", flat=True))
    if slug in taken:
        slug = f"{slug}-{slugify(institution.code) or institution.pk}"
    return slug


def _section(institution: Institution, catalogue: CatalogueIndexPage | None) -> InstitutionSectionPage:
    section = InstitutionSectionPage.objects.filter(institution=institution).first()
    if section is not None:
        return section
    if catalogue is None:
        raise AuthoringSetupError(
            "No course catalogue exists yet: create the home page and its catalogue index before institutions"
            " can be given a section."
        )
    section = InstitutionSectionPage(
        title=institution.name, slug=_section_slug(catalogue, institution), institution=institution
    )
    catalogue.add_child(instance=section)
    # Publish the empty section so that courses filed under it are reachable once approved.
    section.save_revision().publish()
    return section


def teacher_group(institution: Institution) -> Group | None:
    """The institution's teacher group, found by the section permissions it holds, else by name."""
    name = f"{institution.name}{TEACHER_GROUP_SUFFIX}"
    group = (
        Group.objects.filter(
            page_permissions__page__institutionsectionpage__institution=institution,
            page_permissions__permission__codename="add_page",
            name__endswith=TEACHER_GROUP_SUFFIX,
        )
        .order_by("pk")
        .first()
    )
    return group or Group.objects.filter(name=name).first()


def _ensure_teacher_group(institution: Institution) -> Group:
    name = f"{institution.name}{TEACHER_GROUP_SUFFIX}"
    group = teacher_group(institution)
    if group is None:
        group = Group.objects.create(name=name)
    elif group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name  # the institution was renamed
        group.save(update_fields=["name"])
    group.permissions.add(_access_admin())
    return group


def _ensure_collection(institution: Institution, group: Group) -> Collection:
    add_image = _permission("wagtailimages", "add_image")
    collection = (
        Collection.objects.filter(group_permissions__group=group, group_permissions__permission=add_image)
        .order_by("path")
        .first()
    )
    root = Collection.get_first_root_node()
    if collection is None:
        collection = root.get_children().filter(name=institution.name).first()
    if collection is None:
        collection = root.add_child(name=institution.name)
    elif collection.name != institution.name:
        collection.name = institution.name
        collection.save(update_fields=["name"])
    return collection


@transaction.atomic
def provision_institution(institution: Institution) -> InstitutionSectionPage:
    """Give ``institution`` its section, teacher group and collection (idempotent).

    Raises ``AuthoringSetupError`` when there is no catalogue index yet.
    """
    catalogues = catalogue_pages()
    section = _section(institution, catalogues[0] if catalogues else None)
    group = _ensure_teacher_group(institution)
    _grant_pages(group, section, ["add", "change"])
    _grant_collection(group, _ensure_collection(institution, group), ["add", "change", "choose"])
    ensure_review_workflow()
    return section


@transaction.atomic
def add_teacher(user, institution: Institution) -> Group:
    """Make ``user`` a teacher of ``institution``: a member of its teacher group. Returns the group."""
    provision_institution(institution)
    group = teacher_group(institution)
    user.groups.add(group)
    return group


@transaction.atomic
def ensure_reviewers_group() -> Group:
    """The provincial reviewers: change and publish the whole catalogue, choose media everywhere."""
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    group.permissions.add(_access_admin())
    for catalogue in catalogue_pages():
        _grant_pages(group, catalogue, ["change", "publish"])
    _grant_collection(group, Collection.get_first_root_node(), ["choose"])
    return group


@transaction.atomic
def add_reviewer(user) -> Group:
    group = ensure_reviewers_group()
    ensure_review_workflow()
    user.groups.add(group)
    return group


@transaction.atomic
def ensure_review_workflow() -> Workflow:
    """The workflow "省级审核" (one reviewers' approval task), attached to every catalogue index."""
    reviewers = ensure_reviewers_group()
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(reviewers)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for catalogue in catalogue_pages():
        # A page has at most one workflow of its own; the province's review replaces any other there.
        WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def ensure_province_staff_group() -> Group:
    """Provincial staff: maintain the taxonomy (regions, institutions, industries, programs, ...)."""
    group, _ = Group.objects.get_or_create(name=PROVINCE_STAFF_GROUP)
    group.permissions.add(_access_admin())
    for app_label, model in _TAXONOMY_MODELS:
        for action in ("add", "change", "delete"):
            group.permissions.add(_permission(app_label, f"{action}_{model}"))
    return group


@transaction.atomic
def add_province_staff(user) -> Group:
    group = ensure_province_staff_group()
    user.groups.add(group)
    return group


def provision_on_institution_saved(sender, instance, raw=False, **kwargs) -> None:
    """``post_save`` receiver: a new or renamed institution gets its authoring set-up at once.

    Skipped for fixture loading and while no catalogue exists (``seed_demo`` then calls
    ``provision_institution`` itself once the tree is there).
    """
    if raw or not CatalogueIndexPage.objects.exists():
        return
    provision_institution(instance)

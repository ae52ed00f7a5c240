"""Authoring set-up (courses.authoring): sections, teacher groups, collections, reviewers, the workflow.

The people builders at the top are shared by the admin and report tests.
"""
import pytest
from django.contrib.auth.models import Group
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowTask,
)

from courses import authoring
from courses.models import CatalogueIndexPage, InstitutionSectionPage
from lms.accounts import api as accounts
from tests import factories

pytestmark = pytest.mark.django_db


def teacher_of(inst, username="teacher"):
    user = accounts.create_person(
        username=username, password="pw-teacher-2026", real_name="王老师", role="teacher", institution=inst
    )
    authoring.add_teacher(user, inst)
    return user


def reviewer(username="reviewer"):
    user = accounts.create_person(username=username, password="pw-review-2026", real_name="李审核", role="reviewer")
    authoring.add_reviewer(user)
    return user


def superuser(username="admin"):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(username=username, password="pw-admin-2026")


def _snapshot():
    return (
        InstitutionSectionPage.objects.count(), Group.objects.count(), Collection.objects.count(),
        GroupPagePermission.objects.count(), GroupCollectionPermission.objects.count(),
        Workflow.objects.count(), WorkflowTask.objects.count(), GroupApprovalTask.objects.count(),
    )


def test_a_new_institution_gets_its_section_teacher_group_and_collection():
    _home, catalogue = factories.site_root()
    inst = factories.institution(name="兰州石化职业技术大学")

    section = InstitutionSectionPage.objects.get(institution=inst)
    assert section.get_parent().pk == catalogue.pk
    assert section.live and section.title == inst.name and section.slug == inst.slug
    group = Group.objects.get(name="兰州石化职业技术大学 教师")
    assert set(group.permissions.values_list("codename", flat=True)) == {"access_admin"}
    assert set(GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission__codename")) == {
        (section.pk, "add_page"), (section.pk, "change_page"),
    }
    collection_perms = set(GroupCollectionPermission.objects.filter(group=group).values_list(
        "collection__name", "permission__content_type__app_label", "permission__codename"))
    assert collection_perms == {
        (inst.name, "wagtailimages", "add_image"), (inst.name, "wagtailimages", "change_image"),
        (inst.name, "wagtailimages", "choose_image"), (inst.name, "wagtaildocs", "add_document"),
        (inst.name, "wagtaildocs", "change_document"), (inst.name, "wagtaildocs", "choose_document"),
    }
    assert factories.section(inst).pk == section.pk


def test_provisioning_twice_changes_nothing():
    factories.site_root()
    inst = factories.institution()
    before = _snapshot()
    section = authoring.provision_institution(inst)
    authoring.provision_institution(inst)
    inst.save()
    assert _snapshot() == before
    assert section == InstitutionSectionPage.objects.get(institution=inst)


def test_renaming_an_institution_renames_its_group_and_collection():
    factories.site_root()
    inst = factories.institution(name="甘肃畜牧工程职业技术学院")
    groups, collections = Group.objects.count(), Collection.objects.count()
    inst.name = "甘肃畜牧职业技术大学"
    inst.save()
    assert (Group.objects.count(), Collection.objects.count()) == (groups, collections)
    assert authoring.teacher_group(inst).name == "甘肃畜牧职业技术大学 教师"
    assert Collection.objects.filter(name="甘肃畜牧职业技术大学").count() == 1


def test_an_institution_created_before_the_catalogue_is_provisioned_once_it_exists():
    inst = factories.institution()
    assert not InstitutionSectionPage.objects.filter(institution=inst).exists()
    with pytest.raises(authoring.AuthoringSetupError, match="catalogue"):
        authoring.provision_institution(inst)
    factories.site_root()
    assert authoring.provision_institution(inst).institution == inst


def test_a_taken_slug_does_not_block_the_section():
    _home, catalogue = factories.site_root()
    catalogue.add_child(instance=CatalogueIndexPage(title="占位", slug="inst-taken"))  # same parent, same slug
    inst = factories.institution()
    inst.slug = "inst-taken"
    InstitutionSectionPage.objects.filter(institution=inst).delete()
    section = authoring.provision_institution(inst)
    assert section.slug.startswith("inst-taken-")


def test_teachers_may_add_and_edit_only_in_their_own_section_and_never_publish():
    a, b = factories.section(), factories.section()
    course_b = factories.course(b)
    teacher = teacher_of(a.institution)

    perms_a, perms_b = a.permissions_for_user(teacher), b.permissions_for_user(teacher)
    assert perms_a.can_add_subpage() and perms_a.can_edit()
    assert not perms_a.can_publish_subpage()
    assert not perms_b.can_add_subpage()
    assert not course_b.permissions_for_user(teacher).can_edit()
    assert teacher.has_perm("wagtailadmin.access_admin")


def test_reviewers_publish_anywhere_in_the_catalogue():
    a, b = factories.section(), factories.section()
    user = reviewer()
    for section in (a, b):
        perms = section.permissions_for_user(user)
        assert perms.can_publish_subpage() and perms.can_edit()
    assert Group.objects.get(name=authoring.REVIEWERS_GROUP) in user.groups.all()


def test_the_review_workflow_guards_every_course_and_is_set_up_once():
    _home, catalogue = factories.site_root()
    course = factories.course()
    workflow = authoring.ensure_review_workflow()
    authoring.ensure_review_workflow()

    assert Workflow.objects.filter(name=authoring.REVIEW_WORKFLOW).count() == 1
    assert catalogue.get_workflow() == workflow
    assert course.get_workflow() == workflow
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 1 and isinstance(tasks[0], GroupApprovalTask)
    assert list(tasks[0].groups.values_list("name", flat=True)) == [authoring.REVIEWERS_GROUP]


def test_only_superusers_and_province_staff_hold_taxonomy_permissions():
    inst = factories.section().institution
    teacher, staff = teacher_of(inst), accounts.create_person(username="staff", password="x", real_name="省厅")
    authoring.add_province_staff(staff)
    for codename in ("courses.change_industry", "courses.add_specialty", "institutions.change_institution"):
        assert staff.has_perm(codename)
        assert not teacher.has_perm(codename)


def test_teachers_upload_and_choose_media_only_in_their_own_collection():
    from wagtail.documents.permissions import permission_policy as documents
    from wagtail.images.permissions import permission_policy as images

    a, b = factories.section(), factories.section()
    teacher, user = teacher_of(a.institution), reviewer()
    own = Collection.objects.get(name=a.institution.name)
    assert Collection.objects.filter(name=b.institution.name).exists()
    for policy in (images, documents):
        for action in ("add", "change", "choose"):
            assert list(policy.collections_user_has_permission_for(teacher, action)) == [own]
        assert set(policy.collections_user_has_permission_for(user, "choose")) == set(Collection.objects.all())
        assert not policy.collections_user_has_permission_for(user, "add").exists()

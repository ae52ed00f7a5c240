"""Taxonomy snippets in the admin: listing, search and filters for staff; no editing for teachers."""
import pytest
from django.urls import reverse

from courses import authoring
from courses.models import Industry, Specialty
from lms.accounts import api as accounts
from lms.institutions.api import Region
from tests import factories
from tests.courses.test_admin_pages import assert_denied, login
from tests.courses.test_authoring import superuser, teacher_of

pytestmark = pytest.mark.django_db

TAXONOMY = [
    ("courses", "industry"), ("courses", "trainingprogram"), ("courses", "skillcertificate"),
    ("courses", "specialty"), ("institutions", "region"), ("institutions", "institution"),
]


def url(app, model, view, *args):
    return reverse(f"wagtailsnippets_{app}_{model}:{view}", args=args)


def province_staff():
    user = accounts.create_person(username="staff", password="pw-staff-2026", real_name="省教育厅")
    authoring.add_province_staff(user)
    return user


@pytest.mark.parametrize("app,model", TAXONOMY)
def test_every_taxonomy_listing_opens_for_a_superuser(app, model):
    factories.industry()
    factories.section()
    response = login(superuser()).get(url(app, model, "list"))
    assert response.status_code == 200


def test_the_taxonomy_menu_groups_the_snippets():
    response = login(superuser()).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    menu = response.content.decode()
    for app, model in TAXONOMY:
        assert url(app, model, "list") in menu


def test_listing_search_and_filter():
    factories.industry("cattle", "牛", Industry.Kind.FEATURED)
    factories.industry("clean-energy", "清洁能源", Industry.Kind.GREEN)
    client = login(superuser())

    found = client.get(url("courses", "industry", "list"), {"q": "清洁"})
    assert [i.code for i in found.context["object_list"]] == ["clean-energy"]
    featured = client.get(url("courses", "industry", "list"), {"kind": "featured"})
    assert [i.code for i in featured.context["object_list"]] == ["cattle"]


def test_region_listing_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(superuser())
    factories.region()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("institutions", "region", "list")).status_code == 200
    for _ in range(20):
        factories.region()
    with django_assert_max_num_queries(len(few)):
        assert client.get(url("institutions", "region", "list")).status_code == 200


def test_province_staff_edit_the_taxonomy():
    client = login(province_staff())
    response = client.post(url("courses", "specialty", "add"), {"code": "410303", "name": "畜牧兽医"})
    assert response.status_code == 302
    assert Specialty.objects.get(code="410303").name == "畜牧兽医"


def test_a_duplicate_code_is_refused_with_a_message():
    Specialty.objects.create(code="410303", name="畜牧兽医")
    client = login(province_staff())
    response = client.post(url("courses", "specialty", "add"), {"code": "410303", "name": "另一个"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert Specialty.objects.filter(code="410303").count() == 1


def test_teachers_cannot_edit_the_taxonomy_but_can_choose_from_it():
    section = factories.section()
    industry = factories.industry()
    client = login(teacher_of(section.institution))

    for app, model in TAXONOMY:
        assert_denied(client.get(url(app, model, "list")))
        assert_denied(client.get(url(app, model, "add")))
    assert_denied(client.post(url("courses", "specialty", "add"), {"code": "999999", "name": "伪造"}))
    assert_denied(client.post(url("courses", "industry", "edit", industry.pk), {
        "code": industry.code, "name": "改名", "kind": industry.kind,
    }))
    assert_denied(client.post(url("institutions", "region", "delete", Region.objects.first().pk)))

    assert not Specialty.objects.filter(code="999999").exists()
    industry.refresh_from_db()
    assert industry.name == "牛"
    # The course form's specialty field uses the snippet chooser, which teachers still need.
    assert client.get(reverse("wagtailsnippetchoosers_courses_specialty:choose")).status_code == 200


def test_the_taxonomy_menu_is_hidden_from_teachers():
    section = factories.section()
    response = login(teacher_of(section.institution)).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert url("courses", "industry", "list") not in response.content.decode()

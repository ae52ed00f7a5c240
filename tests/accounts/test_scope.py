"""Roles decide data scopes; other apps filter with scope_for / learners_in_scope."""
import pytest
from django.contrib.auth.models import AnonymousUser, User
from wagtail.models import Site

from lms.accounts import api
from tests import factories
from tests.accounts.people import county, learner, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    from lms.institutions.models import Region

    return Region.objects.get_or_create(code="620000", defaults={"name": "甘肃省", "level": "province"})[0]


def test_each_role_gets_its_scope(province):
    lanzhou = factories.region(code="620100", name="兰州市")
    chengguan = county(lanzhou, code="620102")
    tianshui = factories.region(code="620500", name="天水市")
    inst_a, inst_b = factories.institution(reg=lanzhou), factories.institution(reg=tianshui)
    centre = Site.objects.create(hostname="kz.example.org", root_page=Site.objects.get(is_default_site=True).root_page)

    me = learner(institution=inst_a, region=chengguan)
    in_a = learner(institution=inst_a, region=lanzhou)
    in_b = learner(institution=inst_b, region=tianshui)
    abroad = learner(region=None)
    abroad.profile.centre = centre
    abroad.profile.save()

    def ids(user):
        return set(api.learners_in_scope(api.scope_for(user)))

    assert api.scope_for(me).role == "learner" and ids(me) == {me.pk}
    admin_a = staff("institution_admin", institution=inst_a)
    assert api.scope_for(admin_a).is_institution_admin and ids(admin_a) == {me.pk, in_a.pk}
    assert ids(staff("teacher", institution=inst_b)) == {in_b.pk}
    city = staff("city_official", region=lanzhou)
    assert api.scope_for(city).region_codes == {"620100", "620102"} and ids(city) == {me.pk, in_a.pk}
    assert ids(staff("province_official", region=province)) == {me.pk, in_a.pk, in_b.pk, abroad.pk}
    centre_admin = staff("centre_admin")
    centre_admin.profile.centre = centre
    centre_admin.profile.save()
    assert api.scope_for(centre_admin).centre_site_id == centre.pk and ids(centre_admin) == {abroad.pk}
    assert ids(staff("reviewer")) == set()
    assert ids(User.objects.create_superuser("root", "r@example.org", "x-Root-12345")) == {
        me.pk, in_a.pk, in_b.pk, abroad.pk}
    assert api.scope_for(AnonymousUser()).user_id is None and ids(AnonymousUser()) == set()


def test_a_city_official_without_a_region_sees_nobody():
    learner(region=factories.region())
    assert set(api.learners_in_scope(api.scope_for(staff("city_official")))) == set()


def test_users_by_identifier_matches_usernames_and_mobiles():
    a = learner(username="alpha")
    b = learner(mobile="13700001111")
    found = api.users_by_identifier(["alpha", "137-0000-1111", "nobody", ""])
    assert found == {"alpha": a, "137-0000-1111": b}

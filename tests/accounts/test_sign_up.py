"""Sign-up with a mobile number or a username; duplicates and bad input get clear form errors."""
import pytest
from django.contrib.auth.models import User

from lms.accounts.models import Profile
from tests import factories
from tests.accounts.people import PASSWORD, county, learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return county(factories.region(code="620100", name="兰州市"), code="620102")


def form(where, **overrides):
    data = {"identifier": "138 0013 8000", "real_name": "王小花", "region": where.pk, "learner_type": "farmer",
            "institution": "", "password1": PASSWORD, "password2": PASSWORD}
    data.update(overrides)
    return data


def test_sign_up_with_a_mobile_number_logs_in_and_the_profile_shows(client, region):
    inst = factories.institution()
    response = client.post("/accounts/signup/", form(region, institution=inst.pk))
    assert response.status_code == 302 and response.url == "/accounts/profile/"
    profile = Profile.objects.select_related("user").get()
    assert (profile.user.username, profile.mobile, profile.real_name) == ("13800138000", "13800138000", "王小花")
    assert (profile.role, profile.learner_type, profile.region, profile.institution) == ("learner", "farmer", region,
                                                                                         inst)
    page = client.get("/accounts/profile/")
    assert page.status_code == 200 and "王小花" in page.content.decode()


def test_sign_up_with_a_username(client, region):
    response = client.post("/accounts/signup/", form(region, identifier="wang_xiaohua"))
    assert response.status_code == 302
    assert Profile.objects.get().mobile is None


def test_the_region_select_groups_counties_under_their_city(client, region):
    html = client.get("/accounts/signup/").content.decode()
    assert '<optgroup label="兰州市">' in html and f'value="{region.pk}"' in html


@pytest.mark.parametrize("identifier, message", [
    ("13800138000", "This mobile number is already registered"),
    ("+86 138-0013-8000", "This mobile number is already registered"),
    ("Taken_Name", "This username is taken"),
])
def test_duplicate_mobile_or_username_is_a_clear_form_error(client, region, identifier, message):
    learner(mobile="13800138000", username="taken_name")
    response = client.post("/accounts/signup/", form(region, identifier=identifier))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("overrides, field_message", [
    ({"identifier": "12345678901"}, "is not a valid mobile number"),
    ({"identifier": "bad name!"}, "Enter a valid username"),
    ({"password2": "something-else-2026"}, "The two passwords differ"),
    ({"password1": "123", "password2": "123"}, "too short"),
    ({"region": "999999"}, "Select a valid choice"),
    ({"learner_type": "astronaut"}, "Select a valid choice"),
    ({"real_name": ""}, "This field is required"),
])
def test_bad_input_is_refused_with_a_message_and_creates_nobody(client, region, overrides, field_message):
    response = client.post("/accounts/signup/", form(region, **overrides))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_form_needs_csrf(region):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/signup/", form(region))
    assert response.status_code == 403
    assert not User.objects.exists()

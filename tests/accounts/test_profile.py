"""A person views and edits their own profile (and only their own)."""
import pytest

from tests import factories
from tests.accounts.people import learner

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_edit_own_profile(client):
    me = learner()
    new_region = factories.region(code="620700", name="张掖市")
    client.force_login(me)
    response = client.post("/accounts/profile/edit/", {"real_name": "新名字", "region": new_region.pk,
                                                        "learner_type": "worker", "institution": ""})
    assert response.status_code == 302
    me.profile.refresh_from_db()
    assert (me.profile.real_name, me.profile.region, me.profile.learner_type) == ("新名字", new_region, "worker")
    assert "新名字" in client.get("/accounts/profile/").content.decode()


def test_role_cannot_be_raised_through_the_form(client):
    me = learner()
    client.force_login(me)
    client.post("/accounts/profile/edit/", {"real_name": "x", "region": factories.region().pk,
                                            "learner_type": "worker", "role": "province_official"})
    me.profile.refresh_from_db()
    assert me.profile.role == "learner"


def test_bad_profile_input_is_refused(client):
    me = learner()
    client.force_login(me)
    response = client.post("/accounts/profile/edit/", {"real_name": "", "region": "nope", "learner_type": "x"})
    assert response.status_code == 400
    me.profile.refresh_from_db()
    assert me.profile.real_name.startswith("学员")

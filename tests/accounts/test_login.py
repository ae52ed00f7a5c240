"""Log in with a username or a mobile number; django-axes locks out repeated bad passwords."""
import pytest
from django.test import override_settings

from tests.accounts.people import PASSWORD, learner

pytestmark = pytest.mark.django_db


def test_log_in_with_the_mobile_number_and_log_out(client):
    user = learner(mobile="13912345678")
    response = client.post("/accounts/login/", {"username": "139 1234 5678", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_log_in_with_the_username_and_go_on_to_next(client):
    learner(username="zhangsan")
    response = client.post("/accounts/login/?next=/learning/", {"username": "zhangsan", "password": PASSWORD,
                                                                "next": "/learning/"})
    assert response.status_code == 302 and response.url == "/learning/"


def test_a_wrong_password_says_so(client):
    learner(username="zhangsan")
    response = client.post("/accounts/login/", {"username": "zhangsan", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=5)
def test_the_sixth_bad_password_is_locked_out_with_a_clear_message(client):
    learner(username="zhangsan")
    for attempt in range(5):
        response = client.post("/accounts/login/", {"username": "zhangsan", "password": f"wrong{attempt}"},
                               REMOTE_ADDR="10.0.0.7")
        assert response.status_code in (200, 429)
    response = client.post("/accounts/login/", {"username": "zhangsan", "password": "wrong-again"},
                           REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed logins" in html and "Wait 15 minutes" in html
    # Even the right password is refused while locked out, and no session is made.
    response = client.post("/accounts/login/", {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

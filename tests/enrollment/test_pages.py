"""The enrol button (works without JS, CSRF-protected) and "My learning" (constant queries)."""
import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from lms.enrollment import api
from lms.enrollment.models import Enrollment
from tests.accounts.people import learner
from tests.enrollment.helpers import offering

pytestmark = pytest.mark.django_db


def button(user, iri):
    request = RequestFactory().get("/courses/c1/")
    request.user = user
    return render_to_string("enrollment/enrol_button.html", {"offering_iri": iri}, request=request)


def test_the_button_for_each_state():
    from django.contrib.auth.models import AnonymousUser

    iri, user = offering(), learner()
    html = button(AnonymousUser(), iri)
    assert "/accounts/login/?next=/courses/c1/" in html and "<form" not in html
    html = button(user, iri)
    assert '<form method="post" action="/learning/enrol/">' in html and "csrfmiddlewaretoken" in html
    assert f'value="{iri}"' in html
    api.enrol(user, iri)
    html = button(user, iri)
    assert "Enrolled" in html and "Continue learning" in html and "<form" not in html
    full = offering(kind="package", quota=1)
    api.enrol(learner(), full)
    assert "Full" in button(user, full) and "<form" not in button(user, full)
    assert "Enrolment is not open" in button(user, offering(is_open=False))
    assert "Enrolment is not open" in button(user, "https://nowhere/course/x")


def test_posting_the_form_enrols_and_returns_to_the_page(client):
    iri, user = offering(title="肉牛养殖技术"), learner()
    client.force_login(user)
    response = client.post("/learning/enrol/", {"iri": iri, "next": "/courses/c1/"})
    assert response.status_code == 302 and response.url == "/courses/c1/"
    assert Enrollment.objects.filter(user=user).count() == 1
    again = client.post("/learning/enrol/", {"iri": iri, "next": "/courses/c1/"}, follow=True)
    assert again.redirect_chain == [("/learning/", 302)]
    assert "You are already enrolled in “肉牛养殖技术”" in again.content.decode()
    assert Enrollment.objects.filter(user=user).count() == 1


def test_an_offsite_next_is_ignored(client):
    client.force_login(learner())
    response = client.post("/learning/enrol/", {"iri": offering(), "next": "https://evil.example/"})
    assert response.url == "/learning/"


@pytest.mark.parametrize("make, status, text", [
    (lambda: offering(kind="package", quota=0), 409, "is full"),
    (lambda: _withdrawn(), 410, "is not published"),
    (lambda: "https://nowhere/course/x", 404, "no such course"),
    (lambda: "", 400, "did not say which"),
])
def test_refusals_answer_with_a_status_and_a_message(client, make, status, text):
    client.force_login(learner())
    response = client.post("/learning/enrol/", {"iri": make()})
    assert response.status_code == status
    assert text in response.content.decode()
    assert not Enrollment.objects.exists()


def _withdrawn():
    iri = offering()
    api.withdraw_offering(iri=iri)
    return iri


def test_anonymous_posts_are_sent_to_log_in(client):
    response = client.post("/learning/enrol/", {"iri": offering(), "next": "/courses/c1/"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=/courses/c1/")
    assert not Enrollment.objects.exists()


def test_the_form_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner())
    assert client.post("/learning/enrol/", {"iri": offering()}).status_code == 403
    assert not Enrollment.objects.exists()


def test_my_learning_shows_progress_and_runs_constant_queries(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = learner()
    client.force_login(user)
    api.enrol(user, offering(title="第一门课"))
    with CaptureQueriesContext(connection) as one:
        response = client.get("/learning/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "第一门课" in html and '<progress max="100" value="0"' in html
    for _ in range(15):
        api.enrol(user, offering())
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/learning/")
    assert response.content.decode().count("<progress") == 16


def test_my_learning_needs_a_login(client):
    response = client.get("/learning/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_my_learning_reads_progress_and_the_resume_link_from_lms_progress(client):
    from lms.progress import api as progress

    user, iri = learner(), offering(title="陇原巧手刺绣")
    api.enrol(user, iri)
    progress.set_offering_progress(learner_id=user.pk, offering_iri=iri, percent=40, last_url="/courses/c9/lesson-3/")
    client.force_login(user)
    html = client.get("/learning/").content.decode()
    assert '<progress max="100" value="40"' in html
    assert '<a class="button" href="/courses/c9/lesson-3/">Continue where you left off</a>' in html

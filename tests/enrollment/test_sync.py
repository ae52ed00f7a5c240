"""Publishing a course or package in Wagtail makes it an offering; unpublishing or deleting withdraws it."""
import pytest

from courses.sync_enrollment import offering_iri, sync_all
from lms.enrollment import api
from lms.enrollment.models import Enrollment, Offering
from tests import factories
from tests.accounts.people import learner

pytestmark = pytest.mark.django_db


def test_publishing_a_course_and_a_package_pushes_offerings(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = factories.course(code="NX-101")
        draft = factories.course(live=False)
        package = factories.package(items=[course, draft], quota=30, code="LYQS-1")
    row = Offering.objects.get(iri=offering_iri(course))
    assert row.iri == "https://skills.gansu.edu.cn/xapi/activities/course/NX-101"
    assert (row.kind, row.title, row.institution_id, row.quota, row.is_published) == (
        "course", course.title, course.institution_id, None, True)
    assert row.url == course.url
    pack = Offering.objects.get(iri=offering_iri(package))
    assert (pack.kind, pack.quota) == ("package", 30)
    assert pack.member_iris == [offering_iri(course), offering_iri(draft)]
    assert not Offering.objects.filter(iri=offering_iri(draft)).exists()

    user = learner()
    api.enrol(user, pack.iri)  # the draft member is skipped, the live course is enrolled
    assert set(Enrollment.objects.filter(user=user).values_list("offering__iri", flat=True)) == {
        pack.iri, row.iri}


def test_unpublishing_and_deleting_withdraw(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = factories.course()
        other = factories.course()
    with django_capture_on_commit_callbacks(execute=True):
        course.unpublish()
        other.delete()
    assert not Offering.objects.get(iri=offering_iri(course)).is_published
    assert not Offering.objects.get(iri=offering_iri(other)).is_published
    with pytest.raises(api.EnrolmentRefused, match="not published"):
        api.enrol(learner(), offering_iri(course))


def test_sync_all_pushes_existing_pages():
    course = factories.course()
    assert not Offering.objects.filter(iri=offering_iri(course)).exists()  # on_commit never ran
    sync_all()
    assert Offering.objects.get(iri=offering_iri(course)).is_published


def test_the_public_course_page_offers_the_enrol_form_and_then_shows_enrolled(client,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = factories.course()
    user = learner()
    client.force_login(user)
    html = client.get(course.get_url()).content.decode()
    assert 'action="/learning/enrol/"' in html and offering_iri(course) in html
    response = client.post("/learning/enrol/", {"iri": offering_iri(course), "next": course.get_url()})
    assert response.status_code == 302 and response.url == course.get_url()
    html = client.get(course.get_url()).content.decode()
    assert "Enrolled" in html and 'action="/learning/enrol/"' not in html

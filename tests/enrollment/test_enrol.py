"""enrol(): once per learner, only when published and open, never over quota; packages enrol their courses."""
import pytest

from lms.enrollment import api, signals
from lms.enrollment.models import Enrollment, Offering
from tests.accounts.people import learner
from tests.enrollment.helpers import offering

pytestmark = pytest.mark.django_db


def test_enrol_records_one_enrolment_a_registered_statement_and_a_signal(django_capture_on_commit_callbacks):
    from lms.xapi import api as lrs

    user, iri = learner(), offering()
    received = []
    signals.enrolled.connect(lambda sender, enrollment, **kw: received.append(enrollment), weak=False,
                             dispatch_uid="test-enrolled")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            record = api.enrol(user, iri)
    finally:
        signals.enrolled.disconnect(dispatch_uid="test-enrolled")
    assert (record.learner_id, record.offering_iri, record.source) == (user.pk, iri, "self")
    assert received == [record]
    statements = [s for s in lrs.iter_statements() if s["object"]["id"] == iri]
    assert len(statements) == 1
    assert statements[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/registered"
    assert statements[0]["actor"]["account"]["name"] == str(user.pk)


def test_enrolling_twice_says_already_enrolled_and_makes_no_second_row():
    user, iri = learner(), offering()
    api.enrol(user, iri)
    with pytest.raises(api.AlreadyEnrolled, match="already enrolled") as refused:
        api.enrol(user, iri)
    assert refused.value.status == 409
    assert Enrollment.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("setup, code, status", [
    (lambda: "https://skills.gansu.edu.cn/xapi/activities/course/NOPE", "not_found", 404),
    (lambda: _withdrawn(), "unpublished", 410),
    (lambda: offering(is_open=False), "closed", 403),
])
def test_unknown_unpublished_or_closed_offerings_refuse(setup, code, status):
    user, iri = learner(), setup()
    with pytest.raises(api.EnrolmentRefused) as refused:
        api.enrol(user, iri)
    assert (refused.value.code, refused.value.status) == (code, status)
    assert not Enrollment.objects.exists()


def _withdrawn():
    iri = offering()
    api.withdraw_offering(iri=iri)
    return iri


def test_over_quota_is_refused():
    iri = offering(kind="package", quota=2)
    api.enrol(learner(), iri)
    api.enrol(learner(), iri)
    late = learner()
    with pytest.raises(api.EnrolmentRefused, match="is full") as refused:
        api.enrol(late, iri)
    assert refused.value.code == "full"
    assert Enrollment.objects.filter(offering__iri=iri).count() == 2


def test_a_package_enrols_its_published_member_courses():
    first, second, withdrawn = offering(), offering(), _withdrawn()
    package = offering(kind="package", members=[first, second, withdrawn, "https://elsewhere/course/x"])
    user = learner()
    api.enrol(user, second)  # already in one of them
    api.enrol(user, package)
    rows = {e.offering.iri: e for e in Enrollment.objects.filter(user=user).select_related("offering", "via_package")}
    assert set(rows) == {package, first, second}
    assert rows[first].source == "package" and rows[first].via_package.iri == package
    assert rows[second].source == "self"


def test_withdrawal_keeps_existing_enrolments_and_republishing_updates_the_offering():
    user, iri = learner(), offering()
    api.enrol(user, iri)
    api.withdraw_offering(iri=iri)
    assert Enrollment.objects.filter(user=user).exists()
    api.publish_offering(iri=iri, kind="course", title="新标题", url="/x/", institution_id=None, quota=None,
                         is_open=True)
    offering_row = Offering.objects.get(iri=iri)
    assert offering_row.is_published and offering_row.title == "新标题"


def test_publish_offering_rejects_a_bad_kind():
    with pytest.raises(ValueError, match="kind"):
        api.publish_offering(iri="x", kind="webinar", title="t", url="/", institution_id=None, quota=None,
                             is_open=True)


def test_anonymous_users_cannot_enrol():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(api.EnrolmentRefused) as refused:
        api.enrol(AnonymousUser(), offering())
    assert refused.value.status == 401

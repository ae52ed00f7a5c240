"""Rule validation: no negative credit, no cycles, no contradictions, each with a message that says
what to fix; and the same messages in the Wagtail admin form a credit officer uses."""
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from lms.credits.models import CertificateCreditRule, CourseCreditRule, ExemptionRule, MutualRecognitionRule

from .conftest import person

pytestmark = pytest.mark.django_db
JAN = date(2026, 1, 1)


def _errors(rule) -> str:
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    return " ".join(str(m) for m in caught.value.messages)


def test_hours_per_credit_must_be_16_to_18():
    rule = CourseCreditRule(basis="hours", hours_per_credit=20, valid_from=JAN)
    assert "Between 16 and 18 class hours" in _errors(rule)


def test_negative_credit_is_refused():
    rule = CertificateCreditRule(kind="certificate", code="x", level="junior", credits=Decimal("-1"), valid_from=JAN)
    assert "Credit cannot be negative." in _errors(rule)


def test_end_before_start_is_refused():
    rule = CourseCreditRule(valid_from=JAN, valid_until=date(2025, 1, 1))
    assert "The end date must not be before the start date." in _errors(rule)


def test_two_course_rules_for_the_same_courses_at_the_same_time_contradict(institution):
    CourseCreditRule.objects.create(institution=institution, valid_from=JAN)
    message = _errors(CourseCreditRule(institution=institution, basis="hours", valid_from=date(2026, 6, 1)))
    assert "already covers the same courses from 2026-01-01" in message
    # After the first rule ends, a new one may start.
    first = CourseCreditRule.objects.get()
    CourseCreditRule.objects.filter(pk=first.pk).update(valid_until=date(2026, 5, 31))
    CourseCreditRule(institution=institution, basis="hours", valid_from=date(2026, 6, 1)).full_clean()


def test_a_higher_certificate_level_may_not_earn_less():
    CertificateCreditRule.objects.create(kind="certificate", code="care-mid", skill_field="老年照护",
                                         level="intermediate", credits=Decimal("4"), valid_from=JAN)
    senior = CertificateCreditRule(kind="certificate", code="care-senior", skill_field="老年照护", level="senior",
                                   credits=Decimal("3"), valid_from=JAN)
    assert "a higher level must not earn fewer credits than a lower one" in _errors(senior)


def test_a_certificate_code_earns_under_one_rule_at_a_time():
    CertificateCreditRule.objects.create(kind="certificate", code="c1", level="junior", credits=2, valid_from=JAN)
    assert "“c1” already earns 2.0 credits" in _errors(
        CertificateCreditRule(kind="certificate", code="c1", level="junior", credits=3, valid_from=JAN))


def test_recognition_within_one_institution_is_refused(institution):
    rule = MutualRecognitionRule(from_institution=institution, from_course_code="A", to_institution=institution,
                                 to_course_code="B", to_course_title="b", ratio=1, valid_from=JAN)
    assert "between two different institutions" in _errors(rule)


def test_recognition_ratio_cannot_add_credit(institution, other_institution):
    rule = MutualRecognitionRule(from_institution=institution, from_course_code="A", to_institution=other_institution,
                                 to_course_code="B", to_course_title="b", ratio=Decimal("1.5"), valid_from=JAN)
    assert "The ratio cannot exceed 1" in _errors(rule)


def test_recognition_cycles_are_refused(institution, other_institution):
    from tests import factories

    third = factories.institution()
    MutualRecognitionRule.objects.create(from_institution=institution, from_course_code="A",
                                         to_institution=other_institution, to_course_code="B", to_course_title="b",
                                         valid_from=JAN)
    MutualRecognitionRule.objects.create(from_institution=other_institution, from_course_code="B",
                                         to_institution=third, to_course_code="C", to_course_title="c", valid_from=JAN)
    closing = MutualRecognitionRule(from_institution=third, from_course_code="C", to_institution=institution,
                                    to_course_code="A", to_course_title="a", valid_from=JAN)
    assert "This rule would make a cycle: course A already leads back to course C" in _errors(closing)
    # The same rule is fine once the chain it would close has ended.
    MutualRecognitionRule.objects.filter(from_course_code="A").update(valid_until=date(2026, 3, 1))
    closing.valid_from = date(2026, 4, 1)
    closing.full_clean()


def test_one_course_is_recognised_as_one_course_per_institution(institution, other_institution):
    MutualRecognitionRule.objects.create(from_institution=institution, from_course_code="A",
                                         to_institution=other_institution, to_course_code="B", to_course_title="b",
                                         valid_from=JAN)
    rule = MutualRecognitionRule(from_institution=institution, from_course_code="A", to_institution=other_institution,
                                 to_course_code="B2", to_course_title="b2", valid_from=JAN)
    assert "Course A already counts as course B at that institution" in _errors(rule)


def test_an_exemption_must_agree_with_the_certificate_level(institution):
    CertificateCreditRule.objects.create(kind="certificate", code="c9", level="senior", credits=2, valid_from=JAN)
    rule = ExemptionRule(certificate_code="c9", level="junior", institution=institution, course_code="K",
                         course_title="k", units="U1", credits=1, valid_from=JAN)
    assert "Certificate “c9” is level “Senior (高级)” in another rule; a certificate has one level." in _errors(rule)


def test_an_exemption_names_units(institution):
    rule = ExemptionRule(certificate_code="c9", level="junior", institution=institution, course_code="K",
                         course_title="k", units="  \n ", credits=1, valid_from=JAN)
    assert "This field cannot be blank." in _errors(rule) or "Name at least one exempted unit" in _errors(rule)


def test_the_admin_form_shows_the_contradiction_to_the_officer(client, institution):
    officer = person()
    officer.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="credits",
        codename__in=["add_coursecreditrule", "view_coursecreditrule", "change_coursecreditrule"]),
        Permission.objects.get(codename="access_admin"))
    client.force_login(officer)
    CourseCreditRule.objects.create(institution=institution, valid_from=JAN)
    response = client.post("/admin/credits/course-rules/new/", {
        "institution": institution.pk, "course_code": "", "basis": "hours", "hours_per_credit": 17,
        "valid_from": "2026-03-01", "valid_until": "",
    })
    assert response.status_code == 200
    assert "already covers the same courses" in response.content.decode()
    assert CourseCreditRule.objects.count() == 1
    response = client.post("/admin/credits/course-rules/new/", {
        "institution": institution.pk, "course_code": "C1", "basis": "hours", "hours_per_credit": 17,
        "valid_from": "2026-03-01", "valid_until": "",
    })
    assert response.status_code == 302
    assert CourseCreditRule.objects.filter(course_code="C1", hours_per_credit=17).exists()


def test_credit_officers_edit_rules_in_the_admin_and_learners_cannot(client, institution):
    from .conftest import officer

    client.force_login(officer(institution))
    assert client.get("/admin/credits/recognition-rules/").status_code == 200
    assert client.get("/admin/credits/exemption-rules/new/").status_code == 200
    client.force_login(person())
    assert client.get("/admin/credits/recognition-rules/").status_code in (302, 403)

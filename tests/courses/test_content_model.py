"""The content model's invariants: institution copied from the section, revision due dates, resource checks."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests import factories

pytestmark = pytest.mark.django_db


def test_course_takes_institution_and_cluster_from_its_section():
    inst = factories.institution(reg=factories.region(cluster="hexi"))
    course = factories.course(factories.section(inst))
    course.refresh_from_db()
    assert course.institution == inst
    assert course.cluster == "hexi"
    unit = factories.unit(course)
    assert unit.institution == inst


def test_revision_due_dates_follow_the_yearly_and_three_yearly_rule():
    course = factories.course(last_major_revision=date(2024, 2, 29), last_minor_revision=date(2025, 3, 1))
    assert course.major_revision_due == date(2027, 2, 28)
    assert course.minor_revision_due == date(2026, 3, 1)


def test_link_resource_needs_its_address():
    lib = factories.library()
    res = factories.resource(lib)
    res.link_url = ""
    with pytest.raises(ValidationError) as error:
        res.full_clean()
    assert "link_url" in error.value.message_dict

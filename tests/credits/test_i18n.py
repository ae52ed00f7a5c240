"""Chinese is the default: the credit bank answers in Chinese unless English is asked for."""
import pytest
from django.utils import translation

from lms.credits.models import CourseCreditRule

pytestmark = pytest.mark.django_db


def test_pages_are_in_chinese_by_default(client, learner):
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE", None)
    client.force_login(learner)
    page = client.get("/credits/").content.decode()
    assert "学习成果账户" in page and "总学分" in page


def test_rule_errors_are_in_chinese_by_default():
    from django.core.exceptions import ValidationError

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            CourseCreditRule(basis="hours", hours_per_credit=30, valid_from="2026-01-01").full_clean()
        assert "每学分应为 16 至 18 课时。" in str(caught.value)


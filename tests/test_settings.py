"""The platform's defaults are the ones the policy and the README promise."""
from django.conf import settings


def test_chinese_first_and_beijing_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ


def test_custom_media_models_are_in_use():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    assert get_image_model()._meta.label == "media.CourseImage"
    assert get_document_model()._meta.label == "media.CourseDocument"


def test_login_throttling_is_on():
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AXES_FAILURE_LIMIT <= 10

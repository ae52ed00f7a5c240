"""zh-Hans is the default language: every string of accounts, enrolment and the plugin core is translated."""
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["lms/accounts", "lms/enrollment", "plugins/core"])
def test_every_message_has_a_chinese_translation(app):
    po = (ROOT / app / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = [e for e in po.split("\n\n") if "\nmsgid " in "\n" + e and 'msgid ""\nmsgstr ""\n"Project' not in e]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""') or "#, fuzzy" in e]
    assert entries and not untranslated
    assert (ROOT / app / "locale/zh_Hans/LC_MESSAGES/django.mo").stat().st_mtime >= 0


def test_the_pages_speak_chinese_by_default():
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        assert gettext("Continue where you left off") == "从上次的地方继续"
        assert gettext("Too many failed logins") == "登录失败次数过多"
        assert gettext("Enabled on this site") == "在此站点启用"

"""Builders shared by the journey tests (progress, completion, certificates, built-in plugins).

``statement(...)`` builds an xAPI statement for a platform learner; ``committed()`` runs on-commit
callbacks (the LRS signal, then the projections it triggers) inside a test transaction; ``Signals``
counts what a signal sent.
"""
from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone
from wagtail.models import Site

from lms.accounts import api as accounts
from lms.xapi import api as xapi
from plugins.core.api import configure_plugin
from tests import factories

ADL = "http://adlnet.gov/expapi/verbs/"
PLUGINS = ("video", "document", "quiz", "assignment", "attendance")


def statement(user, iri: str, verb: str, *, result=None, at=None, more_info: str = "") -> dict:
    body = {
        "id": str(uuid.uuid4()),
        "actor": accounts.xapi_agent(user),
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": iri},
        "timestamp": (at or timezone.now()).isoformat(),
    }
    if more_info:
        body["object"]["definition"] = {"moreInfo": more_info}
    if result is not None:
        body["result"] = result
    return body


def void(statement_id: str, user) -> dict:
    return {
        "id": str(uuid.uuid4()), "actor": accounts.xapi_agent(user),
        "verb": {"id": ADL + "voided", "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": statement_id},
    }


@contextmanager
def committed():
    """Run on-commit callbacks (and those they register) when the block ends, as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def record(*statements: dict) -> list[str]:
    with committed():
        return xapi.record(list(statements))


def minutes_ago(n: int):
    return timezone.now() - timedelta(minutes=n)


class Signals:
    """Collects what a signal sends while connected (use as a context manager)."""

    def __init__(self, signal, key: str):
        self.signal, self.key, self.sent = signal, key, []

    def _receive(self, sender, **kwargs):
        self.sent.append(kwargs[self.key])

    def __enter__(self):
        self.signal.connect(self._receive, weak=False)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self._receive)


_people = iter(range(1, 10**6))


def learner(name: str = "王秀英", **fields):
    n = next(_people)
    return accounts.create_person(username=f"learner{n}-{uuid.uuid4().hex[:6]}", password="x-Pass-2026!",
                                  real_name=name, learner_type="farmer", **fields)


def enrolled(user, course):
    """Enrol ``user`` in ``course`` (a live CoursePage) the way the enrol button does; returns ``user``."""
    from lms.enrollment import api as enrollment

    with committed():
        enrollment.enrol(user, xapi.activity_iri("course", course.code))
    return user


def enable_plugins(*plugin_ids: str) -> Site:
    site = Site.objects.get(is_default_site=True)
    for plugin_id in plugin_ids or PLUGINS:
        configure_plugin(site=site, plugin_id=plugin_id, enabled=True)
    return site


def activity(kind: str, activity_id: str, title: str, **config) -> tuple:
    return ("activity", {"activity_type": kind, "title": title, "activity_id": activity_id,
                         "config": json.dumps(config)})


def course_with(*lesson_bodies, publish_outline: bool = True, **course_fields):
    """A live course with one unit and a lesson per body (a list of blocks). Returns (course, lessons)."""
    factories.site_root()
    with committed():
        course = factories.course(**course_fields)
        unit = factories.unit(course)
        lessons = [factories.lesson(unit, body=list(body) or [("text", "<p>内容</p>")]) for body in lesson_bodies]
        if publish_outline:
            course.save_revision().publish()
    return course, lessons


def iri(*parts: str) -> str:
    return xapi.activity_iri(*parts)


def ensure_wagtail_root() -> None:
    """Wagtail's root page comes from a migration, so a transactional test's flush removes it: put it back."""
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal
    from wagtail.models import Collection, Locale, Page

    ContentType.objects.clear_cache()  # a flush re-creates content types with new ids
    if not Permission.objects.exists():  # a flush without post_migrate (serialized rollback, reused db)
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        ContentType.objects.clear_cache()

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", live=True))

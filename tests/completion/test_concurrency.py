"""Concurrent duplicate events complete an offering once and send one signal (real PostgreSQL rows locks)."""
import threading

import pytest
from django.db import close_old_connections, connection

from lms.completion import api as completion
from lms.completion.data import CompletionRules, ItemKind, Outline, OutlineItem
from lms.completion.models import Completion
from lms.completion.signals import completion_recorded
from lms.progress import api as progress
from lms.xapi import api as xapi

from ..progress.helpers import Signals, learner, statement

COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/CC1"
VIDEO = COURSE + "/lesson/1/v"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_events_complete_once():
    completion.publish_outline(Outline(
        offering_iri=COURSE, kind="course", title="并发", institution_id=None,
        rules=CompletionRules(require_attendance=False), items=(OutlineItem(VIDEO, ItemKind.VIDEO),)))
    user = learner()
    done = statement(user, VIDEO, "completed", result={"completion": True})
    barrier, errors = threading.Barrier(8), []

    def worker():
        try:
            barrier.wait()
            xapi.record([done])  # the same statement sent by 8 clients at once
            completion.evaluate(learner_id=user.pk, offering_iri=COURSE)  # and evaluated again directly
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            close_old_connections()

    with Signals(completion_recorded, "completion") as recorded:
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert Completion.objects.filter(learner=user).count() == 1
    assert len(recorded.sent) == 1
    assert progress.states_for(user.pk, [VIDEO])[VIDEO].completed
    assert connection.vendor == "postgresql"

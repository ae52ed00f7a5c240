"""Statements POSTed over HTTP are acknowledged at commit and projected by a real Celery worker right after;
``record()`` called in process stays synchronous; with the broker unreachable the projections run inline.

Real parts: Redis on 127.0.0.1:6379 (database 13, a queue of this test's own) and ``celery -A lms worker`` as a
subprocess on the test's PostgreSQL database (the SQLite test database lives in this process's memory).
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from lms.progress.models import ActivityState
from lms.xapi import api as xapi

from ..progress.helpers import learner, statement
from .conftest import BROKER, XAPISession, use_broker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connecting is refused at once
COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/QP1/lesson/1/"


def start_worker(queue: str) -> subprocess.Popen:
    """``celery -A lms worker`` on the test database, consuming only ``queue``."""
    settings = connection.settings_dict
    database = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test", "DATABASE_URL": database,
           "CELERY_BROKER_URL": BROKER}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool", "solo", "-Q", queue, "--loglevel", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env,
    )


def wait_for(condition, seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def lesson_statements(user, n: int) -> list[dict]:
    return [statement(user, f"{COURSE}item{i}", "completed", result={"completion": True}) for i in range(n)]


@pytest.fixture
def xapi_client(live_server, lrs_client):
    from .conftest import SECRET

    with XAPISession(live_server.url, lrs_client.key, SECRET) as session:
        yield session


def test_a_posted_batch_is_answered_at_commit_and_projected_by_the_worker(broker, xapi_client):
    redis_client, queue = broker
    user = learner()
    batch = lesson_statements(user, 100)
    single = statement(user, f"{COURSE}single", "completed", result={"completion": True})
    single_id = single["id"]

    # No worker runs yet: the answers cannot have waited for the projections.
    response = xapi_client.post("statements", json=batch)
    assert response.status_code == 200, response.text
    assert xapi_client.put(f"statements?statementId={single_id}", json=single).status_code == 204
    assert ActivityState.objects.filter(learner=user).count() == 0
    assert redis_client.llen(queue) == 2  # one message per request, not per statement

    worker = start_worker(queue)
    try:
        assert wait_for(lambda: ActivityState.objects.filter(learner=user, completed=True).count() == 101), (
            "the worker did not project the posted statements")
        assert wait_for(lambda: redis_client.llen(queue) == 0)
        # It works at a lower CPU priority than the web server (settings.WORKER_NICENESS, lms/celery.py).
        assert os.getpriority(os.PRIO_PROCESS, worker.pid) == min(os.getpriority(os.PRIO_PROCESS, 0) + 10, 19)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_record_in_process_stays_synchronous_with_a_broker(broker):
    redis_client, queue = broker
    user = learner()
    xapi.record(lesson_statements(user, 3))  # really commits: transactional test
    assert ActivityState.objects.filter(learner=user, completed=True).count() == 3
    assert redis_client.llen(queue) == 0


def test_with_the_broker_unreachable_the_projections_run_in_the_request(broker, xapi_client, caplog):
    _redis, queue = broker
    use_broker(UNREACHABLE, queue)
    user = learner()
    with caplog.at_level(logging.ERROR, logger="lms.xapi.api"):
        response = xapi_client.post("statements", json=lesson_statements(user, 5))
    assert response.status_code == 200, response.text
    assert ActivityState.objects.filter(learner=user, completed=True).count() == 5
    assert any("could not queue the projections of 5 statements" in r.getMessage() for r in caplog.records)


def test_queueing_can_be_switched_off(broker, xapi_client, settings):
    redis_client, queue = broker
    settings.XAPI_QUEUE_PROJECTIONS = False
    user = learner()
    assert xapi_client.post("statements", json=lesson_statements(user, 4)).status_code == 200
    assert ActivityState.objects.filter(learner=user, completed=True).count() == 4
    assert redis_client.llen(queue) == 0


def test_a_batch_voided_before_its_projection_is_left_out(broker):
    """Queued batches may be projected out of order: the voiding batch's projection first (a second worker, a
    re-delivery), then the voided statement's. The voided statement must not come back as progress."""
    from ..progress.helpers import void

    redis_client, queue = broker
    user = learner()
    [done] = lesson_statements(user, 1)
    xapi.record([done], projections=xapi.QUEUED)  # queued: no worker runs yet
    xapi.record([void(done["id"], user)])  # projected inline: nothing of the voided statement to undo yet
    assert ActivityState.objects.filter(learner=user).count() == 0
    assert redis_client.llen(queue) == 1
    worker = start_worker(queue)
    try:
        assert wait_for(lambda: redis_client.llen(queue) == 0 and redis_client.hlen("unacked") == 0)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert ActivityState.objects.filter(learner=user).count() == 0


def test_the_task_sends_the_batch_in_stored_order_and_skips_unknown_ids():
    from lms.xapi.signals import statements_recorded

    user = learner()
    ids = xapi.record(lesson_statements(user, 3))
    received = []
    statements_recorded.connect(lambda sender, statements, **kw: received.append(statements), weak=False,
                                dispatch_uid="t-queued-order")
    try:
        assert xapi.send_recorded(list(reversed(ids)) + [str(uuid.uuid4())]) == 3
    finally:
        statements_recorded.disconnect(dispatch_uid="t-queued-order")
    assert [s["id"] for s in received[0]] == ids
    assert all("stored" in s and "authority" in s for s in received[0])

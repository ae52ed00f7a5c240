"""The outbox of queued projections: a batch stored with ``projections="queued"`` is remembered in its own
transaction and projected by a drain (the worker's task, beat's sweep, an operator's command), many batches per
transaction, in commit order; a failing batch is set aside with its error, and the others go on.

Real parts: PostgreSQL (``SKIP LOCKED``, asynchronous commit) and Redis (the broker, and a shared cache for the
wake-up). The drains run in this process, as the worker would run them, so each step can be checked.
"""
from __future__ import annotations

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from lms.progress.models import ActivityState
from lms.xapi import api as xapi
from lms.xapi import projections, tasks
from lms.xapi.models import PendingProjection
from lms.xapi.signals import statements_recorded, statements_storing

from ..progress.helpers import learner, statement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/OB1/lesson/1/"
POISON = COURSE + "poison"


def batch(user, n: int, *, iri: str = COURSE + "item") -> list[dict]:
    return [statement(user, f"{iri}{i}" if iri != POISON else POISON, "completed", result={"completion": True})
            for i in range(n)]


def queued(statements: list[dict]) -> list[str]:
    return xapi.record(statements, projections=xapi.QUEUED)


@pytest.fixture
def received():
    """Every ``statements_recorded`` send, as the list of statement ids it carried."""
    calls: list[list[str]] = []
    statements_recorded.connect(lambda sender, statements, **kw: calls.append([s["id"] for s in statements]),
                                weak=False, dispatch_uid="t-outbox-received")
    yield calls
    statements_recorded.disconnect(dispatch_uid="t-outbox-received")


def test_a_queued_batch_waits_in_the_outbox_until_a_drain_projects_it(broker):
    redis_client, queue = broker
    user = learner()
    ids = queued(batch(user, 3))
    [pending] = PendingProjection.objects.all()
    assert pending.statement_ids.split(",") == ids and pending.size == 3 and pending.attempts == 0
    assert ActivityState.objects.filter(learner=user).count() == 0
    # The message is lost (a broker restart, a crash right after the commit): the batch is still in the outbox,
    # and the next drain, beat's sweep every 30 s included, projects it.
    assert redis_client.llen(queue) == 1
    redis_client.delete(queue)
    assert tasks.project_pending() == 3
    assert ActivityState.objects.filter(learner=user, completed=True).count() == 3
    assert not PendingProjection.objects.exists()
    assert tasks.project_pending() == 0  # a second drain finds nothing to do


def test_batches_are_projected_together_in_commit_order(broker, received, settings):
    settings.XAPI_PROJECTION_CHUNK = 7
    user = learner()
    committed = [queued(batch(user, 3, iri=f"{COURSE}b{n}/")) for n in range(5)]
    assert projections.drain() == 15
    # Two batches of 3 fit in a chunk of 7 statements, a third would not: 6, 6, 3, each in commit order.
    assert received == [committed[0] + committed[1], committed[2] + committed[3], committed[4]]
    assert ActivityState.objects.filter(learner=user, completed=True).count() == 15


def test_a_failing_batch_is_set_aside_with_its_error_and_the_others_go_on(broker, received):
    def poison(sender, statements, **kwargs):
        if any(s["object"]["id"] == POISON for s in statements):
            raise RuntimeError("the poison activity cannot be projected")

    user = learner()
    first, bad, last = queued(batch(user, 2)), queued(batch(user, 1, iri=POISON)), queued(batch(user, 2, iri=COURSE))
    statements_recorded.connect(poison, weak=False, dispatch_uid="t-outbox-poison")
    try:
        assert projections.drain() == 4
        # The chunk of three raised and was rolled back; each batch then went alone, and only the bad one failed.
        assert [ids for ids in received if bad[0] not in ids] == [first, last]
        [failed] = PendingProjection.objects.all()
        assert failed.statement_ids == bad[0] and failed.attempts == projections.MAX_ATTEMPTS
        assert "the poison activity cannot be projected" in failed.last_error
        assert projections.drain() == 0  # set aside: drains leave it alone now
        out = StringIO()
        call_command("xapi_project_pending", stdout=out)
        report = out.getvalue()
        assert "waiting: 1 batches (1 statements), of which 1 failed 3 times" in report
        assert "RuntimeError: the poison activity cannot be projected" in report
        assert "--retry-failed" in report
    finally:
        statements_recorded.disconnect(dispatch_uid="t-outbox-poison")
    # The cause is fixed: the operator retries, and the batch is projected.
    out = StringIO()
    call_command("xapi_project_pending", "--retry-failed", stdout=out)
    assert "projected 1 statements" in out.getvalue()
    assert not PendingProjection.objects.exists()
    assert received[-1] == bad


def test_a_rolled_back_batch_leaves_nothing_to_project(broker):
    redis_client, queue = broker
    user = learner()
    with pytest.raises(RuntimeError), transaction.atomic():
        queued(batch(user, 2))
        raise RuntimeError("the caller's transaction fails after record()")
    assert not PendingProjection.objects.exists()
    assert redis_client.llen(queue) == 0


def test_the_projection_commits_asynchronously_and_the_lrs_does_not(broker):
    seen = {}

    def show(label):
        def receiver(sender, statements, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                seen[label] = cursor.fetchone()[0]
        return receiver

    statements_storing.connect(show("storing"), weak=False, dispatch_uid="t-outbox-storing")
    statements_recorded.connect(show("projecting"), weak=False, dispatch_uid="t-outbox-projecting")
    try:
        queued(batch(learner(), 1))
        projections.drain()
    finally:
        statements_storing.disconnect(dispatch_uid="t-outbox-storing")
        statements_recorded.disconnect(dispatch_uid="t-outbox-projecting")
    assert seen == {"storing": "on", "projecting": "off"}


def test_with_a_shared_cache_a_burst_queues_one_drain_at_a_time(broker, settings):
    redis_client, queue = broker
    database = 12
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:6379/{database}",
                                   "KEY_PREFIX": f"t-{uuid.uuid4().hex[:8]}"}}
    user = learner()
    for n in range(5):
        queued(batch(user, 1, iri=f"{COURSE}burst{n}/"))
    assert redis_client.llen(queue) == 1  # one drain queued for the five batches
    assert tasks.project_pending() == 5  # the drain starts: the next batch must queue another
    queued(batch(user, 1, iri=f"{COURSE}after/"))
    assert redis_client.llen(queue) == 2
    assert tasks.project_pending() == 1
    assert ActivityState.objects.filter(learner=user, completed=True).count() == 6


def test_the_worker_yields_to_the_lrs_while_statements_arrive_within_the_lag_bound(broker, settings, monkeypatch):
    settings.XAPI_PROJECTION_DUTY, settings.XAPI_PROJECTION_MAX_LAG = 0.2, 60
    slept = []
    monkeypatch.setattr(projections.time, "sleep", slept.append)
    user = learner()
    queued(batch(user, 1, iri=f"{COURSE}p0/"))
    pace = projections._Pace()
    pace.after_chunk(0.5)
    assert slept == []  # nothing arrived since the drain began: catch up flat out
    queued(batch(user, 1, iri=f"{COURSE}p1/"))
    # A batch set aside long ago after failing is not "behind": drains do not take it.
    PendingProjection.objects.create(statement_ids=str(uuid.uuid4()), size=1, attempts=projections.MAX_ATTEMPTS,
                                     created=timezone.now() - timedelta(days=3))
    pace.after_chunk(0.5)
    assert slept == [pytest.approx(2.0)]  # 0.5 s of work at a duty of 20 % : wait 2 s
    PendingProjection.objects.update(created=timezone.now() - timedelta(seconds=61))
    queued(batch(user, 1, iri=f"{COURSE}p2/"))
    pace.after_chunk(0.5)
    assert slept == [pytest.approx(2.0)]  # a minute behind: no more waiting, whatever arrives
    settings.XAPI_PROJECTION_DUTY = 1
    PendingProjection.objects.all().delete()
    queued(batch(user, 1, iri=f"{COURSE}p3/"))
    projections._Pace().after_chunk(0.5)
    assert len(slept) == 1  # a duty of 1 never waits


def test_a_drain_task_hands_the_worker_back_and_queues_its_continuation(broker, monkeypatch, settings):
    redis_client, queue = broker
    user = learner()
    for n in range(3):
        queued(batch(user, 1, iri=f"{COURSE}slice{n}/"))
    redis_client.delete(queue)
    monkeypatch.setattr(tasks, "DRAIN_SECONDS", 0)  # every chunk overruns its time slice
    settings.XAPI_PROJECTION_CHUNK = 1
    assert tasks.project_pending() == 1
    assert PendingProjection.objects.count() == 2 and redis_client.llen(queue) == 1  # the rest is queued


def test_a_partly_re_sent_batch_remembers_only_what_it_stored(broker):
    user = learner()
    first = batch(user, 2, iri=f"{COURSE}again/")
    queued(first)
    fresh = batch(user, 1, iri=f"{COURSE}new/")
    queued([first[1], *fresh])  # an identical re-send: accepted, stored once (the careful path)
    assert [row.statement_ids for row in PendingProjection.objects.order_by("pk")] == [
        f"{first[0]['id']},{first[1]['id']}", fresh[0]["id"]]
    assert projections.drain() == 3


@pytest.mark.parametrize(("name", "value", "code"), [
    ("XAPI_PROJECTION_CHUNK", 0, "xapi.E001"), ("XAPI_PROJECTION_DUTY", 0, "xapi.E002"),
    ("XAPI_PROJECTION_DUTY", 1.5, "xapi.E002"), ("XAPI_PROJECTION_MAX_LAG", -1, "xapi.E003"),
])
def test_projection_settings_a_worker_cannot_use_are_reported(settings, name, value, code):
    from lms.xapi.checks import check_projection_settings

    assert check_projection_settings() == []
    setattr(settings, name, value)
    [error] = check_projection_settings()
    assert error.id == code and name in error.msg and error.hint


def test_a_long_integer_reaches_the_projections_exact(broker):
    big = 123456789012345678901234567890
    seen = []
    statements_recorded.connect(lambda sender, statements, **kw: seen.extend(statements), weak=False,
                                dispatch_uid="t-outbox-big")
    try:
        [given] = queued([{**statement(learner(), COURSE + "big", "completed"),
                           "result": {"extensions": {"http://example.com/big": big}}}])
        projections.drain()
    finally:
        statements_recorded.disconnect(dispatch_uid="t-outbox-big")
    [sent] = [s for s in seen if s["id"] == given]
    assert sent["result"]["extensions"]["http://example.com/big"] == big  # not a float

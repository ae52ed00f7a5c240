"""The lrs_forwarder plugin: outbox rows per target, tincan delivery, timeouts, backoff, admin retry."""
from __future__ import annotations

import socket
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lms.xapi import api
from lms.xapi.models import Activity, Statement, StatementRelation
from plugins.builtin.lrs_forwarder import outbox
from plugins.builtin.lrs_forwarder.models import ForwardingAttempt, ForwardingDelivery, ForwardingTarget
from plugins.core import registry

from .conftest import SECRET, new_id, statement

pytestmark = pytest.mark.django_db(transaction=True)
# The outbox sends from a background thread with its own connection; the in-memory SQLite test database
# is one connection shared by every thread, so these run on PostgreSQL (file SQLite in the demo is fine).
THREADED = pytest.mark.postgres


def enable_plugin():
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from plugins.core.api import configure_plugin

    registry.reset()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:  # transactional tests start from empty tables
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        site = Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
    configure_plugin(site=site, plugin_id="lrs_forwarder", enabled=True)
    outbox._enabled_until[0] = 0.0  # forget the cached "off"


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers (a hung remote LRS)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/xapi/"
    stop.set()
    for conn in held:
        conn.close()
    listener.close()


@THREADED
def test_statements_are_forwarded_with_tincan(live_server, lrs_client):
    enable_plugin()
    ForwardingTarget.objects.create(name="province", endpoint=live_server.url + "/xapi/", key=lrs_client.key,
                                    secret=SECRET, version="1.0.3")
    ids = api.record([statement(), statement()])
    delivery = ForwardingDelivery.objects.get()
    assert [s["id"] for s in delivery.statements] == ids
    assert wait_for(lambda: ForwardingDelivery.objects.get().status == "delivered")
    attempt = ForwardingAttempt.objects.get()
    assert attempt.ok and attempt.status_code == 200  # the remote (here: ourselves) accepted the same ids


def test_nothing_is_queued_while_the_plugin_is_off(live_server):
    registry.reset()
    ForwardingTarget.objects.create(name="province", endpoint=live_server.url + "/xapi/", key="k", secret="s")
    api.record([statement()])
    assert not ForwardingDelivery.objects.exists()


@THREADED
def test_a_hung_remote_never_blocks_recording_and_times_out(silent_server):
    enable_plugin()
    ForwardingTarget.objects.create(name="hung", endpoint=silent_server, key="k", secret="s", timeout_seconds=1)
    started = time.monotonic()
    api.record([statement()])
    assert time.monotonic() - started < 1.0  # the send happens elsewhere
    assert wait_for(lambda: ForwardingAttempt.objects.exists())
    attempt = ForwardingAttempt.objects.get()
    assert attempt.outcome == "timeout" and not attempt.ok and attempt.duration_ms < 5000
    delivery = ForwardingDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.next_attempt_at > attempt.started_at  # backed off


@THREADED
def test_retries_back_off_then_fail_and_an_admin_can_retry(django_user_model):
    enable_plugin()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens here: connection refused
    target = ForwardingTarget.objects.create(name="down", endpoint=f"http://127.0.0.1:{port}/xapi/", key="k",
                                             secret="s", timeout_seconds=2)
    delivery = ForwardingDelivery.objects.create(target=target, statements=[statement(id="0b8f2b7e-1c9a-4c1e-"
                                                 "9b7e-3f1d2c4b5a69")], statement_count=1,
                                                 next_attempt_at="2020-01-01T00:00:00Z")
    assert outbox.backoff(1).total_seconds() == 30 and outbox.backoff(3).total_seconds() == 120
    for _ in range(outbox.MAX_ATTEMPTS):
        ForwardingDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at="2020-01-01T00:00:00Z")
        outbox.deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == outbox.MAX_ATTEMPTS
    assert ForwardingAttempt.objects.filter(delivery=delivery, outcome="network").count() == outbox.MAX_ATTEMPTS

    admin = django_user_model.objects.create_superuser("ops", password="pw-for-tests-1")
    browser = Client()
    browser.force_login(admin)
    listing = browser.get("/admin/lrs-forwarding/failed/")
    assert listing.status_code == 200 and b"down" in listing.content
    response = browser.post(f"/admin/lrs-forwarding/{delivery.pk}/retry/")
    assert response.status_code == 302
    assert wait_for(lambda: ForwardingAttempt.objects.filter(delivery=delivery).count() > outbox.MAX_ATTEMPTS)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1

    nobody = django_user_model.objects.create_user("nobody", password="pw-for-tests-1")
    browser.force_login(nobody)
    assert browser.post(f"/admin/lrs-forwarding/{delivery.pk}/retry/").status_code in (302, 403)


# --- The outbox is written in the recording transaction (statements_storing) ---------------------------------

@pytest.fixture
def unscheduled(monkeypatch):
    """Keep the after-commit send out of these tests (it runs in a thread; see THREADED): collect the ids."""
    scheduled = []
    monkeypatch.setattr(outbox, "schedule", scheduled.extend)
    return scheduled


class Crash(Exception):
    """Stands for the process dying right after COMMIT, before anything registered after it runs."""


def test_a_crash_right_after_commit_cannot_lose_the_forward(live_server, lrs_client, unscheduled):
    enable_plugin()
    ForwardingTarget.objects.create(name="province", endpoint=live_server.url + "/xapi/", key=lrs_client.key,
                                    secret=SECRET, version="1.0.3")

    def crash():
        raise Crash

    # The first on_commit hook runs first and stops the rest: the send is never scheduled, statements_recorded
    # never sent. Before, the outbox rows were written by such an after-commit receiver: none would exist.
    with pytest.raises(Crash):
        with transaction.atomic():
            transaction.on_commit(crash)
            ids = api.record([statement(), statement()])
    assert unscheduled == []
    assert sorted(str(i) for i in Statement.objects.values_list("statement_id", flat=True)) == sorted(ids)
    delivery = ForwardingDelivery.objects.get()  # committed with the statements
    assert [s["id"] for s in delivery.statements] == ids and delivery.status == "pending"
    assert outbox.deliver_due() == 1  # what beat/cron runs (lrs_forwarder.forward_due) picks it up
    delivery.refresh_from_db()
    assert delivery.status == "delivered", delivery.last_error


CRASHING_WRITER = """
import json, os, sys
import django
django.setup()
from django.db import transaction
from lms.xapi import api
statements = json.loads(sys.stdin.read())
with transaction.atomic():
    transaction.on_commit(lambda: os._exit(9))  # the first thing after COMMIT: the process is killed
    api.record(statements)
"""


@THREADED
def test_a_process_killed_right_after_commit_leaves_its_forward_in_the_outbox(live_server, lrs_client):
    """The same as above with a real process death (os._exit), in a separate process on the test database."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    enable_plugin()
    ForwardingTarget.objects.create(name="province", endpoint=live_server.url + "/xapi/", key=lrs_client.key,
                                    secret=SECRET, version="1.0.3")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    sent = [statement(id=new_id()), statement(id=new_id())]
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lms.settings.test", "PYTHONPATH": str(root)}
    died = subprocess.run([sys.executable, "-c", CRASHING_WRITER], input=json.dumps(sent), text=True, env=env,
                          cwd=root, capture_output=True, timeout=120)
    assert died.returncode == 9, died.stderr
    ids = [s["id"] for s in sent]
    assert sorted(str(i) for i in Statement.objects.values_list("statement_id", flat=True)) == sorted(ids)
    delivery = ForwardingDelivery.objects.get()
    assert [s["id"] for s in delivery.statements] == ids and delivery.status == "pending"
    assert delivery.attempts == 0  # the killed process never started the send
    assert outbox.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered", delivery.last_error


def test_one_outbox_insert_per_batch_in_the_recording_transaction(unscheduled, monkeypatch):
    enable_plugin()
    first = ForwardingTarget.objects.create(name="province", endpoint="http://127.0.0.1:9/xapi/", key="k", secret="s")
    second = ForwardingTarget.objects.create(name="school", endpoint="http://127.0.0.1:9/xapi/", key="k", secret="s")
    ForwardingTarget.objects.create(name="off", endpoint="http://127.0.0.1:9/xapi/", key="k", secret="s",
                                    enabled=False)
    api.record([statement()])  # fills the per-process cache of the plugin switch and the enabled targets
    inserts = []
    real_insert = outbox._insert_deliveries
    monkeypatch.setattr(outbox, "_insert_deliveries", lambda *a: inserts.append(a) or real_insert(*a))
    for size in (5, 200):
        inserts.clear()
        with CaptureQueriesContext(connection) as queries:
            ids = api.record([statement() for _ in range(size)])
        forwarder = [q["sql"] for q in queries if any(t in q["sql"] for t in ("lrs_forwarder", "plugins_", "wagtail"))]
        # Nothing but the insert, whatever the batch size. On PostgreSQL it goes through a server-side-binding
        # psycopg cursor on the same connection, which Django's query log does not see.
        assert [sql.split()[0] for sql in forwarder] == (["INSERT"] if connection.vendor == "sqlite" else [])
        assert len(inserts) == 1
        rows = ForwardingDelivery.objects.filter(statement_count=size)
        assert sorted(rows.values_list("target_id", flat=True)) == [first.pk, second.pk]
        assert all([s["id"] for s in row.statements] == ids for row in rows)
    assert len(unscheduled) == 6  # two rows per batch, handed to the sender after commit


def test_a_target_removed_by_another_process_is_skipped_not_an_error(unscheduled):
    enable_plugin()
    kept = ForwardingTarget.objects.create(name="province", endpoint="http://127.0.0.1:9/xapi/", key="k", secret="s")
    gone = ForwardingTarget.objects.create(name="school", endpoint="http://127.0.0.1:9/xapi/", key="k", secret="s")
    off = ForwardingTarget.objects.create(name="county", endpoint="http://127.0.0.1:9/xapi/", key="k", secret="s")
    api.record([statement()])  # this process now caches three enabled targets for a few seconds
    # Another process (no signals here) deletes one target (with its deliveries, as the admin's cascade does)
    # and switches another off.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ForwardingDelivery._meta.db_table} WHERE target_id = %s", [gone.pk])
        cursor.execute(f"DELETE FROM {ForwardingTarget._meta.db_table} WHERE id = %s", [gone.pk])
    ForwardingTarget.objects.filter(pk=off.pk).update(enabled=False)
    ids = api.record([statement()])
    latest = ForwardingDelivery.objects.filter(statements__0__id=ids[0])
    assert list(latest.values_list("target_id", flat=True)) == [kept.pk]


def _make_outbox_writes_fail():
    """A real database failure on the outbox table (a trigger), not a mock."""
    table = ForwardingDelivery._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE FUNCTION sg_outbox_down() RETURNS trigger AS $$ BEGIN "
                           "RAISE EXCEPTION 'outbox unavailable'; END $$ LANGUAGE plpgsql")
            cursor.execute(f"CREATE TRIGGER sg_outbox_down BEFORE INSERT ON {table} "
                           "FOR EACH ROW EXECUTE FUNCTION sg_outbox_down()")
        else:
            cursor.execute(f"CREATE TRIGGER sg_outbox_down BEFORE INSERT ON {table} "
                           "BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END")


def _repair_outbox():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER sg_outbox_down ON {ForwardingDelivery._meta.db_table}")
            cursor.execute("DROP FUNCTION sg_outbox_down()")
        else:
            cursor.execute("DROP TRIGGER sg_outbox_down")


def test_a_failing_outbox_write_stores_nothing_of_that_batch_and_nothing_else_is_lost(xapi, unscheduled):
    """Decided behaviour: the outbox row is part of the batch. If it cannot be written, the batch is refused
    (503, the client retries) rather than stored without its forward; earlier batches and later ones are
    untouched."""
    enable_plugin()
    ForwardingTarget.objects.create(name="province", endpoint="http://127.0.0.1:9/xapi/", key="k", secret="s")
    before = xapi.post("statements", json=[statement()]).json()
    _make_outbox_writes_fail()
    try:
        new_activity = "https://skills.gansu.edu.cn/xapi/activities/course/NEW"
        batch = [statement(id=new_id(), object={"id": new_activity, "definition": {"name": {"zh-CN": "新课"}}},
                           context={"instructor": {"mbox": "mailto:t@example.cn"}})]
        response = xapi.post("statements", json=batch)
        assert response.status_code == 503
        assert "retry later" in response.json()["error"]
        assert [str(i) for i in Statement.objects.values_list("statement_id", flat=True)] == before
        assert not StatementRelation.objects.exists() and not Activity.objects.filter(iri=new_activity).exists()
        assert ForwardingDelivery.objects.count() == 1  # the earlier batch's row is still there
    finally:
        _repair_outbox()
    assert xapi.post("statements", json=batch).status_code == 200  # the client's retry succeeds
    assert ForwardingDelivery.objects.count() == 2 and Statement.objects.count() == 2
    assert Activity.objects.filter(iri=new_activity).exists()


def test_a_statement_tincan_cannot_represent_is_a_refused_delivery():
    from plugins.builtin.lrs_forwarder.forwarder import TinCanForwarder

    v2 = statement(id=new_id(), context={"contextAgents": [
        {"objectType": "contextAgent", "agent": {"mbox": "mailto:coach@example.cn"}}]})
    result = TinCanForwarder().send(target={"endpoint": "http://127.0.0.1:9/xapi/", "key": "k", "secret": "s"},
                                    statements=[v2], timeout=5)
    assert not result.ok and result.outcome == "refused"  # fails at once, listed for an admin; no retries
    assert "contextAgents" in result.detail

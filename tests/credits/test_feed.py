"""The feed against a real HTTP receiver on loopback that fails, times out and answers twice: after it
recovers every entry is delivered once and none is lost; every try is on record."""
from decimal import Decimal

import pytest

from lms.credits import api, feed
from lms.credits.models import DeliveryAttempt, LedgerEntry, OutboxDelivery

from .conftest import completion
from .feed_helpers import Receiver, enable_feed

pytestmark = pytest.mark.django_db


def _credit(learner, institution, n, capture):
    with capture(execute=True):
        for _ in range(n):
            api.credit_completion(completion(learner, institution, credits=Decimal("2")))


def test_failures_timeouts_and_duplicates_end_with_each_entry_delivered_once(
        settings, learner, institution, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        enable_feed(settings, receiver.url)
        receiver.mode = "fail"
        _credit(learner, institution, 3, django_capture_on_commit_callbacks)  # first try right after commit
        assert OutboxDelivery.objects.filter(status="pending", attempts=1).count() == 3

        receiver.mode = "timeout"
        assert feed.deliver_due() == {"delivered": 0, "failed": 3, "skipped": 0}

        receiver.mode = "ok"
        assert feed.deliver_due() == {"delivered": 3, "failed": 0, "skipped": 0}
        assert feed.deliver_due() == {"delivered": 0, "failed": 0, "skipped": 0}  # nothing sent twice on our side

        _credit(learner, institution, 1, django_capture_on_commit_callbacks)  # after recovery: first try works

    keys = set(LedgerEntry.objects.values_list("idempotency_key", flat=True))
    assert set(receiver.stored) == keys and len(keys) == 4  # none lost, each stored once
    assert len(receiver.hits) == 3 + 3 + 3 + 1 and receiver.bad_signatures == 0
    assert set(OutboxDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    first = OutboxDelivery.objects.order_by("id").first()
    assert list(first.attempt_log.values_list("outcome", "status_code")) == [
        ("failed", 500), ("timeout", None), ("delivered", 200)]
    assert DeliveryAttempt.objects.count() == 10
    payload = receiver.stored[first.entry.idempotency_key]
    assert payload["credits"] == "2.00" and payload["account"]["learner"]["account"]["name"] == str(learner.pk)


def test_entries_set_aside_after_max_attempts_are_retried_from_the_admin(
        settings, admin_client, learner, institution, django_capture_on_commit_callbacks):
    settings.CREDIT_BANK_FEED_MAX_ATTEMPTS = 2
    with Receiver() as receiver:
        enable_feed(settings, receiver.url)
        receiver.mode = "fail"
        _credit(learner, institution, 1, django_capture_on_commit_callbacks)
        feed.deliver_due()
        delivery = OutboxDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("gave_up", 2)
        assert feed.deliver_due()["failed"] == 0  # set aside: not retried automatically

        admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        page = admin_client.get("/admin/credits/undelivered/").content.decode()
        assert "database down" in page
        receiver.mode = "ok"
        response = admin_client.post(f"/admin/credits/undelivered/{delivery.pk}/retry/")
        assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(receiver.stored) == 1
    assert "Every entry has been delivered." in admin_client.get("/admin/credits/undelivered/").content.decode()


def test_the_undelivered_view_needs_permission(client, learner):
    client.force_login(learner)
    assert client.get("/admin/credits/undelivered/").status_code in (302, 403)


def test_entries_written_while_the_feed_was_off_are_queued_when_it_is_on(settings, learner, institution):
    api.credit_completion(completion(learner, institution))
    assert not OutboxDelivery.objects.exists()
    with Receiver() as receiver:
        enable_feed(settings, receiver.url)
        assert feed.enqueue_missing() == 1
        assert feed.deliver_due()["delivered"] == 1
    assert len(receiver.stored) == 1


def test_plain_http_to_a_remote_host_is_not_used(settings):
    from plugins.builtin.credit_bank.connector import HttpCreditBankConnector

    settings.CREDIT_BANK_FEED_SECRET = "x"
    settings.CREDIT_BANK_FEED_URL = "http://bank.example.cn/entries"
    assert not HttpCreditBankConnector().is_configured()
    settings.CREDIT_BANK_FEED_URL = "https://bank.example.cn/entries"
    assert HttpCreditBankConnector().is_configured()

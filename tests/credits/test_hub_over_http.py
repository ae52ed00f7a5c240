"""An institution instance feeding a provincial hub over real HTTP: the same plugin on both ends
(here one database plays both parts; the entries cross a real socket)."""
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.credits import api, feed
from lms.credits.models import LedgerEntry, OutboxDelivery, ReceivedEntry

from .conftest import completion, person
from .feed_helpers import SECRET, enable_feed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_entries_reach_the_hub_once_even_when_sent_again(settings, live_server, institution):
    settings.CREDIT_BANK_HUB_SENDERS = {"inst-a": SECRET}
    enable_feed(settings, f"{live_server.url}/credits/hub/entries")
    settings.CREDIT_BANK_FEED_TIMEOUT_SECONDS = 5
    learner = person(institution=institution)
    for _ in range(3):
        api.credit_completion(completion(learner, institution, credits=Decimal("2")))  # commits: sent on commit
    assert set(OutboxDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    # A lost answer makes the sender try again: the hub answers "duplicate" and stores nothing new.
    OutboxDelivery.objects.update(status="pending", next_attempt_at=timezone.now())
    assert feed.deliver_due()["delivered"] == 3
    stored = ReceivedEntry.objects.filter(sender="inst-a")
    assert stored.count() == 3
    assert set(stored.values_list("idempotency_key", flat=True)) == set(
        LedgerEntry.objects.values_list("idempotency_key", flat=True))

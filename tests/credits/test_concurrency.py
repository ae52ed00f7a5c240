"""The same completion arriving many times at once writes one ledger entry (real PostgreSQL, threads)."""
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from lms.credits import api
from lms.credits.models import CreditAccount, LedgerEntry

from .conftest import completion, person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _hammer(target, copies: int, durations: list | None = None):
    barrier, errors = threading.Barrier(copies), []

    def run():
        try:
            connection.ensure_connection()  # connecting is not what we measure
            barrier.wait()
            started = time.monotonic()
            target()
            if durations is not None:
                durations.append(time.monotonic() - started)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_one_entry_when_the_same_completion_arrives_sixteen_times_at_once(institution):
    learner = person(institution=institution)
    record = completion(learner, institution, credits=Decimal("3"))
    durations = []
    arrived = timezone.now()
    errors = _hammer(lambda: api.credit_completion(record), 16, durations)
    assert errors == []
    assert LedgerEntry.objects.filter(idempotency_key=f"completion:{record.id}").count() == 1
    assert CreditAccount.objects.filter(learner=learner).count() == 1
    assert api.balance(learner.pk) == Decimal("3.00")
    lag = (LedgerEntry.objects.get(idempotency_key=f"completion:{record.id}").recorded_at - arrived).total_seconds()
    assert lag < 1.0, f"the entry was written {lag:.2f}s after the completions arrived"
    print(f"credit written {lag:.3f}s after arrival; slowest of 16 calls returned after {max(durations):.3f}s")


def test_concurrent_revocations_reverse_once(institution):
    learner = person(institution=institution)
    record = completion(learner, institution)
    api.credit_completion(record)
    assert _hammer(lambda: api.reverse_completion(record), 8) == []
    assert LedgerEntry.objects.filter(kind="reversed").count() == 1
    assert api.balance(learner.pk) == 0

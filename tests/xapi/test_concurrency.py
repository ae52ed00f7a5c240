"""Many clients posting overlapping batches at once: nothing lost, nothing stored twice (PostgreSQL)."""
from __future__ import annotations

import random
import threading

import pytest
import requests

from lms.xapi.models import Statement

from .conftest import SECRET, new_id, statement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_overlapping_batches_with_duplicates(live_server, lrs_client):
    pool = [statement(id=new_id(), result={"response": str(i)}) for i in range(120)]
    errors: list[str] = []

    def worker(seed: int):
        rng = random.Random(seed)
        with requests.Session() as session:
            session.auth = (lrs_client.key, SECRET)
            session.headers["X-Experience-API-Version"] = "1.0.3"
            for _ in range(6):
                batch = rng.sample(pool, 25)
                response = session.post(live_server.url + "/xapi/statements", json=batch, timeout=60)
                if response.status_code != 200 or response.json() != [s["id"] for s in batch]:
                    errors.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sent = {s["id"] for s in pool}
    stored = [str(i) for i in Statement.objects.values_list("statement_id", flat=True)]
    assert len(stored) == len(set(stored))
    assert sent >= set(stored)
    # every id that any request sent is stored exactly once
    posted = set()
    for seed in range(6):
        rng = random.Random(seed)
        for _ in range(6):
            posted |= {s["id"] for s in rng.sample(pool, 25)}
    assert set(stored) == posted

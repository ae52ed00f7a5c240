"""What the forwarding outbox costs the recording transaction (PostgreSQL, in-process ``api.record``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_lc_bench .venv/bin/python tests/perf/outbox_bench.py
    ... --batches 40 --size 100 --rounds 3

Records ``--batches`` batches of ``--size`` statements with the lrs_forwarder plugin off (the baseline) and on
with two enabled targets, alternating the two for ``--rounds`` rounds so that the machine's load hits both
alike. The send after commit is replaced by a no-op: only the outbox rows written inside the recording
transaction are measured. Prints statements/s, the ratio on/off and the queries the forwarder adds per batch.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/sg_lc_bench")

_url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
subprocess.run(["createdb", "-h", _url.hostname, "-p", str(_url.port or 5432), "-U", _url.username or "postgres",
                _url.path.lstrip("/")], capture_output=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagtail.models import Site  # noqa: E402

from lms.xapi import api  # noqa: E402
from plugins.builtin.lrs_forwarder import outbox  # noqa: E402
from plugins.builtin.lrs_forwarder.models import ForwardingDelivery, ForwardingTarget  # noqa: E402
from plugins.core import registry  # noqa: E402
from plugins.core.api import configure_plugin  # noqa: E402


def batch(size: int) -> list[dict]:
    return [{
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "https://skills.gansu.edu.cn", "name": str(i)}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"zh-CN": "学习了"}},
        "object": {"id": f"https://skills.gansu.edu.cn/xapi/activities/course/B{i % 50}",
                   "definition": {"name": {"zh-CN": "电工基础"}}},
        "context": {"registration": str(uuid.uuid4())},
    } for i in range(size)]


def switch(on: bool) -> None:
    configure_plugin(site=Site.objects.get(is_default_site=True), plugin_id=outbox.PLUGIN_ID, enabled=on)
    registry.reset()
    outbox.forget_targets()
    api.record(batch(1))  # fill the per-process caches before timing, as a running server has them


def timed(batches: int, size: int, per_batch: list[float]) -> float:
    started = time.perf_counter()
    for _ in range(batches):
        begun = time.perf_counter()
        api.record(batch(size))
        per_batch.append(time.perf_counter() - begun)
    return batches * size / (time.perf_counter() - started)


def timing_inserts(spent: list[float]):
    """Wrap the outbox insert to time it inside the recording transaction."""
    real_insert = outbox._insert_deliveries

    def insert(*args):
        begun = time.perf_counter()
        try:
            return real_insert(*args)
        finally:
            spent.append(time.perf_counter() - begun)

    return insert


def forwarder_queries(size: int) -> int:
    """Queries the forwarder adds to one batch: its outbox inserts (a psycopg cursor on PostgreSQL, which
    Django's query log does not see) plus any it makes through Django."""
    inserts = []
    real_insert = outbox._insert_deliveries
    outbox._insert_deliveries = lambda *a: inserts.append(a) or real_insert(*a)
    try:
        with CaptureQueriesContext(connection) as queries:
            api.record(batch(size))
    finally:
        outbox._insert_deliveries = real_insert
    through_django = sum(1 for q in queries if any(t in q["sql"] for t in ("lrs_forwarder", "plugins_", "wagtailcore")))
    return len(inserts) + through_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    outbox.schedule = lambda ids: None  # measure the write in the transaction, not the send
    if not ForwardingTarget.objects.filter(enabled=True).exists():
        for name in ("province", "school"):
            ForwardingTarget.objects.create(name=name, endpoint="http://127.0.0.1:9/xapi/", key="k", secret="s")
    rates = {False: [], True: []}
    batches_on, inserts = [], []
    real_insert = outbox._insert_deliveries
    outbox._insert_deliveries = timing_inserts(inserts)
    for _ in range(args.rounds):
        for on in (False, True):
            switch(on)
            rates[on].append(timed(args.batches, args.size, batches_on if on else []))
    outbox._insert_deliveries = real_insert
    switch(True)
    added = forwarder_queries(args.size)
    off, on = max(rates[False]), max(rates[True])  # best of the rounds: the least disturbed by other load
    print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} rounds x {args.batches} batches of {args.size}")
    print(f"forwarding off: {off:,.0f} statements/s (1.00)")
    print(f"forwarding on, 2 targets: {on:,.0f} statements/s ({on / off:.2f}); forwarder queries per batch: {added}")
    insert_ms, batch_ms = statistics.median(inserts) * 1000, statistics.median(batches_on) * 1000
    print(f"with forwarding on, median per batch: record() {batch_ms:.1f} ms, of which the outbox insert "
          f"{insert_ms:.1f} ms ({insert_ms / batch_ms:.1%})")
    print(f"outbox rows: {ForwardingDelivery.objects.count():,}; every round (off / on): "
          + ", ".join(f"{a:,.0f} / {b:,.0f}" for a, b in zip(rates[False], rates[True], strict=True)))


if __name__ == "__main__":
    main()

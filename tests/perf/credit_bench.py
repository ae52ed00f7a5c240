"""Benchmark: 100,000 completions -> credit-ledger entries and balances, against a bare bulk insert.

    .venv/bin/python tests/perf/credit_bench.py                       # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_credits .venv/bin/python tests/perf/credit_bench.py
    ... --completions 20000                                           # a quicker run

Builds a throw-away test database, then times, in the same run:
  baseline  bulk_create of the very same LedgerEntry rows (fields precomputed, nothing else);
  credit    lms.credits.api.credit_completions: rule lookups, accounts, idempotency check, bulk insert,
            outbox check — what a ledger rebuild does;
  balances  every learner's balance derived from the ledger (one GROUP BY).
Figures are printed as seconds and as a ratio to the baseline, so runs on different machines compare.
"""
import argparse
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402

from lms.credits import api, rules  # noqa: E402
from lms.credits.iri import activity_iri  # noqa: E402
from lms.credits.models import CourseCreditRule, CreditAccount, LedgerEntry, MutualRecognitionRule  # noqa: E402
from lms.institutions.models import Institution, Region  # noqa: E402


@dataclass(frozen=True)
class Completion:
    id: int
    learner_id: int
    offering_iri: str
    kind: str
    title: str
    institution_id: int
    completed_at: datetime
    credits: Decimal
    class_hours: int
    skill_certificate_codes: tuple
    statement_ids: tuple


def build(n: int, learners: int):
    region = Region.objects.create(code="620100", name="兰州市", level="city")
    a = Institution.objects.create(code="A", name="甲校", slug="a", kind="higher", region=region)
    b = Institution.objects.create(code="B", name="乙校", slug="b", kind="higher", region=region)
    CourseCreditRule.objects.create(institution=a, basis="hours", hours_per_credit=18, valid_from=date(2025, 1, 1))
    MutualRecognitionRule.objects.create(from_institution=a, from_course_code="C0007", to_institution=b,
                                         to_course_code="B0007", to_course_title="互认课程", ratio=Decimal("0.8"),
                                         valid_from=date(2025, 1, 1))
    User = get_user_model()
    User.objects.bulk_create([User(username=f"bench{i}") for i in range(learners)], batch_size=5000)
    ids = list(User.objects.values_list("pk", flat=True))
    CreditAccount.objects.bulk_create([CreditAccount(learner_id=i) for i in ids], batch_size=5000)
    rng, start = random.Random(7), datetime(2026, 1, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    records = []
    for i in range(n):
        course = rng.randrange(200)
        records.append(Completion(
            id=i + 1, learner_id=rng.choice(ids), offering_iri=activity_iri("course", f"C{course:04d}"), kind="course",
            title=f"课程{course}", institution_id=(a if course % 2 else b).pk,
            completed_at=start + timedelta(minutes=i), credits=Decimal(course % 4 + 1), class_hours=16 + course % 40,
            skill_certificate_codes=(), statement_ids=(f"00000000-0000-4000-8000-{i:012d}",),
        ))
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--completions", type=int, default=100_000)
    parser.add_argument("--learners", type=int, default=10_000)
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        records = build(args.completions, args.learners)
        accounts = dict(CreditAccount.objects.values_list("learner_id", "id"))
        # The very same rows the credit path writes, precomputed outside the timing.
        cache = {"book": rules.RuleBook()}
        planned = [(c.learner_id, f) for c in records for f in api._completion_entries(c, cache)]
        rows = [LedgerEntry(account_id=accounts[learner_id], idempotency_key="b:" + f["key"],
                            **{k: v for k, v in f.items() if k != "key"}) for learner_id, f in planned]

        t0 = time.perf_counter()
        LedgerEntry.objects.bulk_create(rows, batch_size=2000)
        baseline = time.perf_counter() - t0

        t0 = time.perf_counter()
        written = api.credit_completions(records, batch_size=2000)
        credit = time.perf_counter() - t0

        t0 = time.perf_counter()
        balances = dict(LedgerEntry.objects.filter(is_transfer=False, idempotency_key__startswith="completion:")
                        .values_list("account_id").annotate(total=Sum("credits")))
        balance_time = time.perf_counter() - t0
        again = time.perf_counter()
        assert api.credit_completions(records) == 0
        rerun = time.perf_counter() - again

        print(f"database: {connection.vendor}; completions: {len(records):,}; ledger entries written: {written:,}")
        print(f"baseline bare bulk insert of the same {len(rows):,} entries: {baseline:8.2f} s  (ratio 1.00)")
        print(f"credit_completions (rules, accounts, idempotency): {credit:8.2f} s  "
              f"(ratio {credit / baseline:.2f}, {written / credit:,.0f} entries/s)")
        print(f"balances of {len(balances):,} accounts (one GROUP BY):  {balance_time:8.2f} s  "
              f"(ratio {balance_time / baseline:.2f})")
        print(f"re-run, every entry already present (idempotent): {rerun:8.2f} s  (ratio {rerun / baseline:.2f})")
        assert written == len(rows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

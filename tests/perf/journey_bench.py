"""Benchmark: the cost of projecting statements into progress, completion and certificates as they arrive.

    .venv/bin/python tests/perf/journey_bench.py                     # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_journey .venv/bin/python tests/perf/journey_bench.py
    ... --learners 100                                               # a quicker run

Builds a throw-away test database with one course outline of 8 activities, then times, in the same run:
  baseline   ``lms.xapi.api.record`` of one statement with the progress projection disconnected (the LRS
             write and its other listeners only);
  projected  the same call with the projection connected: event row, state fold, completion evaluation
             of every outline holding the activity, "My learning" percentage — all before it returns;
  batch      ``record`` of 100 statements from 100 learners in one call (how content and offline sync send
             them), without and with the projection, and the queries the projection runs for 10 vs 100;
  completing the statement that completes the course: completion row, certificate number, signals;
  rebuild    ``completion_rebuild`` over every stored statement, per statement.
Figures are per-statement milliseconds and ratios to the baseline measured in the same run.
"""
import argparse
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from lms.accounts import api as accounts  # noqa: E402
from lms.certificates.models import Certificate  # noqa: E402
from lms.completion import api as completion  # noqa: E402
from lms.completion.data import CompletionRules, ItemKind, Outline, OutlineItem  # noqa: E402
from lms.progress import receivers  # noqa: E402
from lms.xapi import api as xapi  # noqa: E402
from lms.xapi.signals import statements_recorded  # noqa: E402
from tests.perf.timing import per_call as _per_call  # noqa: E402

COURSE = "https://skills.gansu.edu.cn/xapi/activities/course/BENCH"
ACTIVITIES = [f"{COURSE}/lesson/{i // 2}/a{i}" for i in range(8)]


def statement(user, iri, verb, result=None):
    body = {"id": str(uuid.uuid4()), "actor": accounts.xapi_agent(user), "object": {"id": iri},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"}, "timestamp": timezone.now().isoformat()}
    if result:
        body["result"] = result
    return body


def per_call(label, calls, baseline=None):
    return _per_call(label, calls, baseline, unit="statement", width=52)


def batch_figures(users, progressed, size=100):
    """record() of ``size`` statements per call, without and with the projection; queries for 10 vs 100."""
    batches = [users[i:i + size] for i in range(0, len(users) - size + 1, size)]

    def call(group, verb="progressed"):
        return lambda: xapi.record([statement(u, ACTIVITIES[1], verb, progressed) for u in group])

    statements_recorded.disconnect(dispatch_uid="progress.project_recorded")
    start = time.perf_counter()
    for group in batches:
        call(group)()
    bare = (time.perf_counter() - start) / len(batches) * 1000
    statements_recorded.connect(receivers.project_recorded, dispatch_uid="progress.project_recorded")
    start = time.perf_counter()
    for group in batches:
        call(group, "experienced")()
    projected = (time.perf_counter() - start) / len(batches) * 1000
    print(f"{'batch of ' + str(size) + ': record() without the projection':<52} {bare:8.1f} ms/batch    baseline")
    print(f"{'batch of ' + str(size) + ': record() with the projection':<52} {projected:8.1f} ms/batch   "
          f"{projected / bare:6.2f}x baseline")
    counts = []
    for n in (10, 100):
        group = users[:n]
        statements = [statement(u, ACTIVITIES[2], "progressed", progressed) for u in group]
        with CaptureQueriesContext(connection) as captured:
            receivers.project_recorded(sender=None, statements=statements)
        counts.append(len(captured))
    print(f"{'projection queries for 10 / 100 statements':<52} {counts[0]:8d} / {counts[1]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=300)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, learners: {args.learners}, activities per course: {len(ACTIVITIES)}")
        completion.publish_outline(Outline(
            offering_iri=COURSE, kind="course", title="基准课程", institution_id=None,
            rules=CompletionRules(require_attendance=False),
            items=tuple(OutlineItem(iri, ItemKind.VIDEO) for iri in ACTIVITIES)))
        users = [accounts.create_person(username=f"bench{i}", password="x", real_name=f"学员{i}")
                 for i in range(args.learners * 2)]
        progressed = {"duration": "PT30S", "extensions": {"https://w3id.org/xapi/video/extensions/progress": 0.5}}

        statements_recorded.disconnect(dispatch_uid="progress.project_recorded")
        base = per_call("baseline: record() without the projection",
                     [lambda u=u: xapi.record([statement(u, ACTIVITIES[0], "progressed", progressed)])
                      for u in users[args.learners:]])
        statements_recorded.connect(receivers.project_recorded, dispatch_uid="progress.project_recorded")

        batch_figures(users, progressed)

        learners = users[:args.learners]
        per_call("projected: progressed (state, evaluation, percent)",
              [lambda u=u: xapi.record([statement(u, ACTIVITIES[0], "progressed", progressed)]) for u in learners],
              base)
        for u in learners:
            for iri in ACTIVITIES[:-1]:
                xapi.record([statement(u, iri, "completed", {"completion": True})])
        per_call("completing: last activity -> completion + certificate",
              [lambda u=u: xapi.record([statement(u, ACTIVITIES[-1], "completed", {"completion": True})])
               for u in learners], base)
        assert Certificate.objects.count() == len(learners), "every learner completed once"

        stored = list(xapi.iter_statements())
        start = time.perf_counter()
        completion.rebuild(iter(stored))
        per = (time.perf_counter() - start) / len(stored) * 1000
        print(f"{'rebuild: completion_rebuild over ' + str(len(stored)) + ' statements':<52} {per:8.2f} "
              f"ms/statement   {per / base:6.2f}x baseline")
        assert Certificate.objects.count() == len(learners), "a rebuild issues nothing twice"
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""Benchmark: enrolling learners through ``lms.enrollment.api.enrol`` against a bare insert, and "My learning".

    .venv/bin/python tests/perf/enrollment_bench.py                     # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_accounts .venv/bin/python tests/perf/enrollment_bench.py
    ... --learners 500                                                  # a quicker run

Builds a throw-away test database, then times, in the same run:
  baseline   ``Enrollment.objects.create`` of the same (learner, offering) pairs, one transaction each,
             nothing else — the floor for a one-row write;
  enrol      ``api.enrol``: row lock on the offering, duplicate and quota checks, the enrolment row, the
             xAPI "registered" statement recorded in the LRS, the signal after commit;
  package    ``api.enrol`` into a package of 5 courses (6 enrolments and 6 statements per call);
  learning   the "My learning" page (HTTP) for a learner with 40 enrolments against one with 2.
Figures are printed as per-call milliseconds and as a ratio to the baseline measured in the same run.
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from lms.accounts import api as accounts  # noqa: E402
from lms.enrollment import api  # noqa: E402
from lms.enrollment.models import Enrollment, Offering  # noqa: E402
from tests.perf.timing import per_call  # noqa: E402

BASE = "https://skills.gansu.edu.cn/xapi/activities/"


def offering(kind, n, members=()):
    iri = f"{BASE}{kind}/B{n:05d}"
    api.publish_offering(iri=iri, kind=kind, title=f"{kind} {n}", url=f"/x/{n}/", institution_id=None, quota=None,
                         is_open=True, member_iris=list(members))
    return iri


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=2000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, learners: {args.learners}")
        users = [accounts.create_person(username=f"bench{i}", password="x", real_name=f"学员{i}")
                 for i in range(args.learners * 2 + 1)]
        raw_target = Offering.objects.get(iri=offering("course", 0))
        course = offering("course", 1)
        members = [offering("course", 10 + i) for i in range(5)]
        package = offering("package", 2, members)
        half = args.learners

        def raw(user):
            with transaction.atomic():
                Enrollment.objects.create(user=user, offering=raw_target)

        base = per_call("baseline: bare Enrollment insert", [lambda u=u: raw(u) for u in users[:half]])
        per_call("enrol: course (lock, checks, row, statement)",
                 [lambda u=u: api.enrol(u, course) for u in users[:half]], base)
        per_call("enrol: package of 5 courses", [lambda u=u: api.enrol(u, package) for u in users[half:2 * half]], base)

        reader, light = users[-1], users[0]
        for i in range(40):
            api.enrol(reader, offering("course", 100 + i))
        client = Client()
        few, many = (Enrollment.objects.filter(user=u).count() for u in (light, reader))
        for user, count in ((light, few), (reader, many)):
            label = f"learning: queries with {count} enrolments"
            client.force_login(user)
            client.get("/learning/")
            with CaptureQueriesContext(connection) as queries:
                client.get("/learning/")
            print(f"{label:<48} {len(queries.captured_queries):8d} queries")
        client.force_login(light)
        light_ms = per_call(f"learning: page with {few} enrolments (x50)", [lambda: client.get("/learning/")] * 50)
        client.force_login(reader)
        per_call(f"learning: page with {many} enrolments (x50)", [lambda: client.get("/learning/")] * 50, light_ms)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

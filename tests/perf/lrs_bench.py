"""Benchmark of the Learning Record Store on PostgreSQL, served by gunicorn, over real HTTP.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_lp_bench .venv/bin/python tests/perf/lrs_bench.py
    ... --seconds 10 --rows 200000        # a quicker run

Creates (if missing) and migrates the database named in DATABASE_URL, starts gunicorn on 127.0.0.1 with
the production settings (persistent connections), a Celery broker (Redis database --redis-db, default 14,
on 127.0.0.1:6379; the bench empties its queue first) and a shared cache (the next Redis database), plus
``celery -A lms worker --concurrency 1 -B`` with the same settings: the production path, where posted
statements are acknowledged at commit and their projections run in the worker. It measures, in the same run:
  copy      raw PostgreSQL COPY of the very rows the LRS stores (same columns, same indexes), measured just
            before and just after each ingest phase: the faster of the two is the baseline of its ratio;
  batched   4 clients POSTing 100 statements per request for --seconds: statements/s and ratio to COPY;
  single    4 clients POSTing one statement per request: statements/s and ratio to COPY;
  projections after each ingest phase: the worker's backlog when the last POST was answered (statements
            in the LRS's outbox, and messages), how long after it the last was projected, and the
            statements projected per second from the first POST until then (the rate the whole path
            sustains; if it is below the POST rate, a backlog grows);
  stored    first, the table is topped up by COPY to --rows statements: ingest is measured into an LRS
            that already holds them, and the GETs after it;
  GET       at the statements then stored, agent+verb and activity+since filters,
            p50/p95 in ms against the same query run in this process (no HTTP), and `more` page 100
            against page 1;
  inline    extra line, not a goal figure: the batched figure with the projections run inside the request
            (XAPI_QUEUE_PROJECTIONS=0), as before queueing;
  receivers extra line: the batched figure with the ``statements_recorded`` receivers switched off in the
            server (and nothing queued): the LRS alone.
Posted statements are by --learners real platform learners (created once), so the receivers of other apps
(progress, reports, forwarding) do their real work after each commit. The load average is printed beside
every figure: the machine is shared. Re-running reuses the stored statements (the top-up only adds what
is missing) and the learners.
"""
import argparse
import base64
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")
if "DATABASE_URL" not in os.environ or not os.environ["DATABASE_URL"].startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/sg_lrs_bench")

_url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
subprocess.run(["createdb", "-h", _url.hostname, "-p", str(_url.port or 5432), "-U", _url.username or "postgres",
                _url.path.lstrip("/")], capture_output=True)

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from lms.xapi import api, projections, storage  # noqa: E402
from lms.xapi.clients import create_client  # noqa: E402

VERBS = [f"http://adlnet.gov/expapi/verbs/{v}" for v in
         ("experienced", "attempted", "completed", "passed", "failed", "answered", "progressed", "launched")]
KEY, SECRET = "bench", "bench-secret-123"
ID_PREFIX = "@@@@@@@@-@@@@-@@@@-@@@@"  # stands for the first four groups of a UUID, replaced per request
COLUMNS = ("statement_id", "stored", "timestamp", "verb_iri", "actor_key", "object_agent_key", "object_activity_iri",
           "object_statement_id", "authority_key", "registration", "voided", "is_voiding", "has_attachments",
           "payload")


# The stored million: agents of another system (as in earlier runs, so the stored rows stay comparable).
OTHER_AGENTS = [("https://app.example.cn", str(i)) for i in range(10_000)]


def make_statement(rng: random.Random, agents: list[tuple[str, str]], activities: int) -> dict:
    home_page, name = rng.choice(agents)
    course = rng.randrange(activities)
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": f"学员{name}", "account": {"homePage": home_page, "name": name}},
        "verb": {"id": rng.choice(VERBS), "display": {"zh-CN": "学习"}},
        "object": {"objectType": "Activity", "id": f"https://skills.gansu.edu.cn/xapi/activities/course/C{course}",
                   "definition": {"name": {"zh-CN": f"课程{course}"}}},
        "result": {"completion": True, "duration": "PT12M"},
        "context": {"platform": "技能甘肃"},
        "timestamp": "2026-05-01T08:00:00Z",
    }


def platform_learners(count: int) -> list[tuple[str, str]]:
    """``count`` learner accounts of this platform (created once), as xAPI account (homePage, name)."""
    users = get_user_model()
    users.objects.bulk_create([users(username=f"lrs-bench-{i}") for i in range(count)], ignore_conflicts=True)
    ids = users.objects.filter(username__startswith="lrs-bench-").values_list("pk", flat=True)[:count]
    return [(settings.XAPI_ACCOUNT_HOMEPAGE, str(pk)) for pk in ids]


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def copy_rows(statements: list[dict], stored: datetime, step: timedelta) -> list[tuple]:
    authority = {"objectType": "Agent", "account": {"homePage": "https://skills.gansu.edu.cn/xapi/clients",
                                                    "name": KEY}}
    rows = []
    for i, statement in enumerate(statements):
        p = storage.prepare(statement, authority=authority, stored=stored + step * i)
        c = p.columns
        rows.append((p.statement_id, p.stored, p.timestamp, c["verb_iri"], c["actor_key"], c["object_agent_key"],
                     c["object_activity_iri"], c["object_statement_id"], c["authority_key"], c["registration"],
                     False, c["is_voiding"], c["has_attachments"], p.payload))
    return rows


def copy_into(table: str, rows: list[tuple]) -> float:
    """Seconds to COPY ``rows`` into ``table``, in the caller's transaction."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return time.perf_counter() - started


def copy_baseline(n: int, agents: list[tuple[str, str]]) -> tuple[float, float]:
    """Rows/s of a raw COPY of ``n`` statements' rows: into xapi_statement as it stands (rolled back), and
    into an empty table shaped and indexed like it.

    The first is the baseline: the LRS's inserts go into the table as it stands, whose indexes grow with it
    (measured at 8.9 million stored statements: COPY into the empty table ran 1.9-2.6x faster than into the real one),
    so the ratio compares the two ways of writing the same rows into the same table. Rolling back leaves no
    row behind; the empty table's figure is printed for reference.
    """
    rng = random.Random(1)
    rows = copy_rows([make_statement(rng, agents, 1_000) for _ in range(n)], datetime.now(UTC), timedelta(0))
    with transaction.atomic():
        into_table = copy_into("xapi_statement", rows)
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS xapi_bench_copy")
        cursor.execute("CREATE TABLE xapi_bench_copy (LIKE xapi_statement INCLUDING ALL)")
    into_empty = copy_into("xapi_bench_copy", rows)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE xapi_bench_copy")
    return n / into_table, n / into_empty


# Switches the statements_recorded receivers off in each worker: for the extra "without receivers" line.
NO_RECEIVERS_HOOK = """
def post_worker_init(worker):
    from lms.xapi.signals import statements_recorded
    statements_recorded.send = lambda sender, **named: []
"""


def production_env(args, **extra) -> dict:
    """The environment of the production processes: production settings, the bench's broker."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.production", "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECRET_KEY": SECRET_KEY, "CELERY_BROKER_URL": broker_url(args), "REDIS_URL": cache_url(args),
            **extra}


SECRET_KEY = secrets.token_urlsafe(64)
QUEUE = "celery"  # Celery's default queue, where production puts the projections


def broker_url(args) -> str:
    return f"redis://127.0.0.1:6379/{args.redis_db}"


def cache_url(args) -> str:
    """The shared cache production has beside a broker (it also spares the worker duplicate drain messages)."""
    return f"redis://127.0.0.1:6379/{args.redis_db + 1}"


def start_worker(args) -> subprocess.Popen:
    """One Celery worker process (plus beat, which folds the reports' learner-days), as production runs it."""
    log = Path(f"/tmp/lrs-bench-worker-{os.getpid()}.log")
    command = [str(Path(sys.executable).parent / "celery"), "-A", "lms", "worker", "--concurrency", "1", "-B",
               "-Q", QUEUE, "--schedule", f"/tmp/lrs-bench-beat-{os.getpid()}", "--loglevel", "info",
               "--without-gossip", "--without-mingle", "--logfile", str(log)]
    log.write_text("")
    worker = subprocess.Popen(command, cwd=ROOT, env=production_env(args))
    for _ in range(240):
        if " ready." in log.read_text():
            return worker
        time.sleep(0.5)
    worker.kill()
    sys.exit(f"the Celery worker did not start, see {log}")


def backlog(queue: redis.Redis) -> tuple[int, int]:
    """Statements waiting for their projections (the LRS's outbox), and Celery messages not yet done: waiting
    in the queue, or taken by the worker and not acknowledged (late ack)."""
    return projections.backlog()["statements"], queue.llen(QUEUE) + queue.hlen("unacked")


def drain(queue: redis.Redis, posted_at: float, started_at: float, n: int) -> str:
    """Wait until every statement is projected and every message done; say how long after the last POST."""
    statements, messages = backlog(queue)
    while any(backlog(queue)):
        time.sleep(0.05)
    drained = time.perf_counter()
    return (f"  projections: {statements:,} statements ({messages:,} messages) waiting when the last POST was "
            f"answered; all projected {drained - posted_at:.1f} s after it; {n:,} statements projected in "
            f"{drained - started_at:.1f} s since the first POST = {n / (drained - started_at):,.0f} statements/s  "
            f"[{load()}]")


def serve(port: int, args, *, receivers: bool = True, queued: bool = True) -> subprocess.Popen:
    """gunicorn as production runs it (lms.settings.production: persistent connections, a broker), plain HTTP.

    ``queued=False`` runs the projections inside the requests (``XAPI_QUEUE_PROJECTIONS=0``)."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "lms.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(args.workers), "--log-level", "warning", "--timeout", "120"]
    if args.threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(args.threads)]
    if not receivers:
        hook = Path(f"/tmp/lrs-bench-no-receivers-{os.getpid()}.py")
        hook.write_text(NO_RECEIVERS_HOOK)
        command += ["--config", str(hook)]
    env = production_env(args, XAPI_QUEUE_PROJECTIONS="1" if queued else "0")
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{port}/xapi/about", timeout=30).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    server.kill()
    sys.exit("gunicorn did not start")


def stop(server: subprocess.Popen | None) -> None:
    if server is None:
        return
    server.terminate()
    server.wait(timeout=30)


def session() -> requests.Session:
    s = requests.Session()
    s.auth = (KEY, SECRET)
    s.headers.update({"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"})
    return s


def ingest(base: str, per_request: int, seconds: float, agents: list[tuple[str, str]],
           clients: int = 4) -> tuple[float, int, float, float]:
    """Statements/s stored by ``clients`` threads POSTing ``per_request`` statements each time; also how
    many, and when the first POST was sent and the last one answered (perf_counter)."""
    stored = [0] * clients
    errors = []
    deadline = time.perf_counter() + seconds

    def run(index: int):
        # Bodies are made once per client with a placeholder id prefix that each request replaces with a
        # fresh random one: every statement is new, and the client spends no CPU on JSON the server must.
        rng = random.Random(index)
        templates = []
        for _ in range(20):
            batch = [make_statement(rng, agents, 1_000) for _ in range(per_request)]
            for i, statement in enumerate(batch):
                statement["id"] = f"{ID_PREFIX}-{i:012x}"
            templates.append(json.dumps(batch))
        # http.client, not requests: the clients share the two cores with the server, and requests spent
        # ~15 % of a core on its own bookkeeping (measured) at these rates.
        url = urllib.parse.urlsplit(base + "statements")
        headers = {"Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode(),
                   "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        try:
            while time.perf_counter() < deadline:
                body = rng.choice(templates).replace(ID_PREFIX, str(uuid.uuid4())[:23]).encode()
                connection.request("POST", url.path, body=body, headers=headers)
                response = connection.getresponse()
                answer = response.read()
                if response.status != 200:
                    errors.append(answer[:200].decode(errors="replace"))
                    return
                stored[index] += per_request
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ended = time.perf_counter()
    if errors:
        sys.exit(f"ingest failed: {errors[0]}")
    return sum(stored) / (ended - started), sum(stored), started, ended


def top_up(target_rows: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM xapi_statement")
        have = cursor.fetchone()[0]
    missing = target_rows - have
    rng = random.Random(7)
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / max(missing, 1)
    chunk = 50_000
    for offset in range(0, max(missing, 0), chunk):
        n = min(chunk, missing - offset)
        rows = copy_rows([make_statement(rng, OTHER_AGENTS, 1_000) for _ in range(n)], start + step * offset, step)
        with transaction.atomic():
            copy_into("xapi_statement", rows)
        print(f"  stored {have + offset + n:,} statements", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE xapi_statement")
    return max(have, target_rows)


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000


def timed_gets(s: requests.Session, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        started = time.perf_counter()
        response = s.get(url, timeout=60)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text[:200]
    return times


def in_process(filters: list[api.StatementFilter]) -> list[float]:
    """The same queries through ``api.find_statements`` in this process: the database's share of a GET."""
    times = []
    for query in filters:
        started = time.perf_counter()
        api.find_statements(query, limit=100)
        times.append(time.perf_counter() - started)
    return times


def measure_gets(base: str, port: int, rows: int, queries: int) -> None:
    from lms.xapi.validation import agent_key

    rng = random.Random(3)
    since_moment = datetime.now(UTC) - timedelta(days=30)
    since = since_moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    agents = [({"account": {"homePage": "https://app.example.cn", "name": str(rng.randrange(10_000))}},
               rng.choice(VERBS)) for _ in range(queries)]
    activities = [f"https://skills.gansu.edu.cn/xapi/activities/course/C{rng.randrange(1000)}" for _ in range(queries)]
    cases = [
        ("agent+verb    ", [base + "statements?" + urllib.parse.urlencode({"agent": json.dumps(a), "verb": v})
                            for a, v in agents],
         [api.StatementFilter(agent=agent_key(a), verb=v) for a, v in agents]),
        ("activity+since", [base + "statements?" + urllib.parse.urlencode({"activity": a, "since": since})
                            for a in activities],
         [api.StatementFilter(activity=a, since=since_moment) for a in activities]),
    ]
    with session() as s:
        timed_gets(s, cases[0][1][:10])  # warm up
        for name, urls, filters in cases:
            p50, p95 = percentiles(timed_gets(s, urls))
            q50, q95 = percentiles(in_process(filters))
            print(f"GET {name} at {rows:,}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms   (same query in process: "
                  f"p50 {q50:.1f} ms p95 {q95:.1f} ms; HTTP/in-process p95 {p95 / q95:.1f}x)  [{load()}]", flush=True)
        first = base + "statements?limit=10"
        url, page = first, 1
        while page < 100:
            url = f"http://127.0.0.1:{port}" + s.get(url, timeout=60).json()["more"]
            page += 1
        # Alternating, so that the machine's changing load falls on both alike.
        times = timed_gets(s, [first, url] * 100)
        p1, p100 = percentiles(times[0::2]), percentiles(times[1::2])
        print(f"more: page 1 p50 {p1[0]:.1f} ms p95 {p1[1]:.1f} ms; page 100 p50 {p100[0]:.1f} ms "
              f"p95 {p100[1]:.1f} ms (ratio p50 {p100[0] / p1[0]:.2f}, p95 {p100[1] / p1[1]:.2f})  [{load()}]",
              flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rows", type=int, default=1_000_000)
    # Measured on the 2-core machine: 2 workers x 4 threads stored ~1.7-2x what 4 or 6 sync workers did.
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default: one per core)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread when > 1)")
    parser.add_argument("--learners", type=int, default=2_000)
    parser.add_argument("--port", type=int, default=8761)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-gets", action="store_true", help="ingest figures only")
    parser.add_argument("--pairs", type=int, default=0,
                        help="instead of the full run: N pairs of batched phases, production path then LRS alone, "
                             "back to back (to compare the two under the same machine conditions)")
    parser.add_argument("--redis-db", type=int, default=14, help="Redis database of the bench's broker")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    create_client(name="benchmark", key=KEY, secret=SECRET, scopes=["write", "read_all"])
    learners = platform_learners(args.learners)
    print(f"gunicorn: {args.workers} workers x {args.threads} threads; 4 client threads; {len(learners):,} learners; "
          f"{load()}", flush=True)
    print(f"projection worker: chunks of {settings.XAPI_PROJECTION_CHUNK} statements; while statements arrive it "
          f"projects {settings.XAPI_PROJECTION_DUTY:.0%} of the time until {settings.XAPI_PROJECTION_MAX_LAG:g} s "
          f"behind (XAPI_PROJECTION_DUTY, XAPI_PROJECTION_MAX_LAG)", flush=True)
    base = f"http://127.0.0.1:{args.port}/xapi/"

    queue = redis.Redis.from_url(broker_url(args))
    queue.delete(QUEUE, "unacked", "unacked_index")  # nothing left from an interrupted run
    redis.Redis.from_url(cache_url(args)).flushdb()

    def phase(label: str, per_request: int, *, projected: bool = False) -> float:
        # The machine's load changes by the minute, so each phase has its own COPY, measured just before it
        # and again just after it (once the worker is idle). The ratio is to the faster of the two: a COPY
        # slowed by a passing disturbance does not flatter the figure.
        (before, empty_before) = copy_baseline(50_000, learners)
        rate, n, started, ended = ingest(base, per_request, args.seconds, learners)
        drained = drain(queue, ended, started, n) if projected else None
        (after, empty_after) = copy_baseline(50_000, learners)
        copy_rate = max(before, after)
        empty = max(empty_before, empty_after)
        print(f"{label} {rate:10,.0f} statements/s  = {rate / copy_rate:6.1%} of a raw COPY of the same rows "
              f"into the same table (the faster of {before:,.0f}/s just before and {after:,.0f}/s just after; "
              f"into an empty table {empty:,.0f}/s = {rate / empty:.1%}); {n:,} statements, 4 clients, "
              f"{args.seconds:g} s  [{load()}]", flush=True)
        if drained:
            print(drained, flush=True)
        return rate

    # Ingest is measured into an LRS that already holds --rows statements (topped up by COPY), not into an
    # empty table: index inserts into a table of a million rows cost more than into a small one.
    rows = top_up(args.rows)
    print(f"{rows:,} statements stored before the ingest phases  [{load()}]", flush=True)
    if args.pairs:
        return paired(args, phase)
    server = serve(args.port, args)
    worker = start_worker(args)
    try:
        batched = phase("batched POST (100/req):", 100, projected=True)
        phase("single POST (1/req):   ", 1, projected=True)
        stop(worker)
        worker = None
        if not args.skip_gets:
            measure_gets(base, args.port, top_up(0), args.queries)
    finally:
        stop(worker)
        stop(server)
    print("extra, not goal figures: the same batched POST with the projections run inside the requests "
          "(XAPI_QUEUE_PROJECTIONS=0, as before queueing), then with the statements_recorded receivers switched "
          "off (the LRS alone):", flush=True)
    server = serve(args.port, args, queued=False)
    try:
        inline = phase("  projections inline:   ", 100)
    finally:
        stop(server)
    server = serve(args.port, args, receivers=False, queued=False)
    try:
        quiet = phase("  without receivers:    ", 100)
    finally:
        stop(server)
    print(f"  queued/inline batched POST: {batched / inline:.1f}x; inline, the receivers take "
          f"{1 - inline / quiet:.0%} of the batched time; queued POSTs reach {batched / quiet:.0%} of the LRS "
          f"alone", flush=True)
    queue.delete(QUEUE, "unacked", "unacked_index")  # what the inline phases queued for no worker (forwarding)


def paired(args, phase) -> None:
    """Production path and LRS alone, alternated: machine noise hits both members of a pair alike."""
    for n in range(args.pairs):
        server, worker = serve(args.port, args), start_worker(args)
        try:
            production = phase(f"pair {n + 1}, production path:", 100, projected=True)
        finally:
            stop(worker)
            stop(server)
        server = serve(args.port, args, receivers=False, queued=False)
        try:
            alone = phase(f"pair {n + 1}, LRS alone:      ", 100)
        finally:
            stop(server)
        print(f"pair {n + 1}: the production path reaches {production / alone:.0%} of the LRS alone", flush=True)


if __name__ == "__main__":
    main()

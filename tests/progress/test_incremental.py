"""Folding new events onto the stored state gives exactly what re-folding the whole history gives.

Random statements (progress, scores, results, positions, durations, late timestamps, voids) are recorded in
random batches; the live states must equal, field for field, those of a rebuild from the stored statements.
"""
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.progress import api as progress
from lms.progress.models import ActivityState
from lms.xapi import api as xapi

from .helpers import learner, record, statement, void

pytestmark = pytest.mark.django_db
FIELDS = ("completed", "passed", "best_score", "attempts", "seconds", "position", "percent", "attended", "last_at",
          "last_url")


def _random_statement(rng, user, iri, base):
    verb = rng.choice(["experienced", "progressed", "progressed", "attempted", "answered", "completed", "passed",
                       "failed"])
    result = {}
    if rng.random() < 0.6:
        result["extensions"] = {"https://w3id.org/xapi/video/extensions/progress": round(rng.random(), 3),
                                "https://w3id.org/xapi/video/extensions/time": round(rng.random() * 600, 2)}
    if rng.random() < 0.3:
        result["score"] = {"scaled": round(rng.random(), 2)}
    if rng.random() < 0.2:
        result["success"] = rng.random() < 0.5
    if rng.random() < 0.4:
        result["duration"] = f"PT{rng.randrange(1, 90)}.{rng.randrange(10, 99)}S"
    # Mostly in order, sometimes late (an offline device syncing old statements).
    at = base + timedelta(seconds=rng.randrange(-3000, 200) if rng.random() < 0.15 else rng.randrange(0, 50))
    return statement(user, iri, verb, result=result or None, at=at, more_info=rng.choice(["", "", "https://a.cn/l/1", "https://a.cn/l/2"]))


def test_live_states_equal_a_rebuild(settings):
    rng = random.Random(2026)
    users = [learner(f"学员{n}") for n in range(3)]
    iris = [f"https://skills.gansu.edu.cn/xapi/activities/course/INC/lesson/{n}/v" for n in range(3)]
    base = timezone.now() - timedelta(hours=5)
    sent = []
    for _round in range(25):
        batch = []
        for _ in range(rng.randrange(1, 8)):
            base += timedelta(seconds=rng.randrange(1, 60))
            batch.append(_random_statement(rng, rng.choice(users), rng.choice(iris), base))
        if sent and rng.random() < 0.2:
            target = rng.choice(sent)
            batch.append(void(target["id"], next(u for u in users if str(u.pk) == target["actor"]["account"]["name"])))
            sent.remove(target)
        record(*batch)
        sent += [s for s in batch if s["verb"]["id"].endswith(("voided",)) is False]
    live = {(s.learner_id, s.activity_iri): tuple(getattr(s, f) for f in FIELDS) for s in ActivityState.objects.all()}
    assert len(live) >= 6
    progress.rebuild(xapi.iter_statements())
    rebuilt = {(s.learner_id, s.activity_iri): tuple(getattr(s, f) for f in FIELDS)
               for s in ActivityState.objects.all()}
    assert live == rebuilt

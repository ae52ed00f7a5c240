"""Recount every summary table from the source apps' own records.

For when reports are added to a running platform, after restoring a backup, or if a receiver failed
(receivers log and never break the write that caused them). Sources are looked up at run time, as the
signal receivers are, so a deployment without one of the apps still rebuilds the rest.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from itertools import islice

from django.apps import apps
from django.conf import settings
from django.db import transaction

from . import api, handlers
from .models import ActiveLearnerSet, LearnerDay, SummaryCount

CHUNK = 20000


def _sources() -> list[tuple[str, str, str, Callable]]:
    """(label, module, iterator, event) for every source; the events are the live receivers' own."""
    return [
        ("enrolments", "lms.enrollment.api", "iter_enrolments", handlers.enrolment_event),
        ("completions", "lms.completion.api", "iter_completions", handlers.completion_event),
        ("certificates", "lms.certificates.api", "iter_certificates", handlers.certificate_event),
        ("credit ledger entries", "lms.credits.api", "iter_entries", handlers.ledger_event),
    ]


def _chunks(iterable, size) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def rebuild(progress: Callable[[str, int], None] = lambda label, n: None) -> dict[str, int]:
    """Empty the summary tables and count everything again; returns how many records each source gave.

    Runs in one transaction: dashboards keep showing the old numbers until the new ones are complete.
    """
    counted: dict[str, int] = {}
    with transaction.atomic():
        SummaryCount.objects.all().delete()
        ActiveLearnerSet.objects.all().delete()
        LearnerDay.objects.all().delete()
        for label, module, function, event in _sources():
            if not apps.is_installed(module.rsplit(".", 1)[0]):
                continue
            counted[label] = 0
            for chunk in _chunks(getattr(import_module(module), function)(), CHUNK):
                api.count_events([(m, learner, iri, handlers.local_day(when), n, amount)
                                  for m, learner, iri, when, n, amount in filter(None, map(event, chunk))])
                counted[label] += len(chunk)
                progress(label, len(chunk))
        counted["statements"] = 0
        from lms.xapi import api as xapi

        # Learner-days this process recorded before are gone from the table now: re-insert them all.
        api._recent_learner_days.clear()

        for chunk in _chunks(xapi.iter_statements(chunk=CHUNK), CHUNK):
            api.record_active_learners(handlers.learner_days(chunk, settings.XAPI_ACCOUNT_HOMEPAGE))
            counted["statements"] += len(chunk)
            progress("statements", len(chunk))
        counted["active learner-days folded"] = api.fold_active_learners(limit=50000)
    return counted

"""Signal receivers that keep the summary tables current the moment events happen.

Each source app sends its own signal (see ../shared/DESIGN.md); reports subscribe. A failure to count is
logged and never breaks the write that caused it: the statement, completion or certificate is safe in
its own app, and ``reports_rebuild`` can recount from those.
"""
from __future__ import annotations

import logging
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import api

log = logging.getLogger(__name__)
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def local_day(value):
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value or timezone.localdate()


def learner_days(statements, home_page: str) -> set[tuple[int, object]]:
    """(learner id, local day) of every statement by a platform learner; voiding statements are not activity."""
    pairs = set()
    for statement in statements:
        if statement.get("verb", {}).get("id") == VOIDED:
            continue
        account = (statement.get("actor") or {}).get("account") or {}
        name = str(account.get("name", ""))
        if account.get("homePage") == home_page and name.isdigit():
            pairs.add((int(name), local_day(statement.get("timestamp") or statement.get("stored"))))
    return pairs


def on_statements(sender, statements, **kwargs):
    pairs = learner_days(statements, settings.XAPI_ACCOUNT_HOMEPAGE)
    try:
        api.record_active_learners(pairs)
        if pairs and settings.CELERY_TASK_ALWAYS_EAGER:
            # No workers (embedded default, tests): fold at once. With workers, beat folds in bulk.
            api.fold_active_learners()
    except Exception:  # noqa: BLE001 - counting must never break recording
        log.exception("reports: could not count active learners")


# Each source record as the event it counts: (metric, learner id, offering IRI, when, count, amount).
# The receivers below and ``rebuild`` both use these, so a live count and a recount cannot disagree.
def enrolment_event(enrollment, sign=1):
    return ("enrolled", enrollment.learner_id, enrollment.offering_iri, enrollment.enrolled_at, sign, 0)


def completion_event(completion, sign=1):
    return ("completed", completion.learner_id, completion.offering_iri, completion.completed_at, sign, 0)


def certificate_event(certificate, sign=1):
    return ("certified", certificate.learner_id, certificate.offering_iri, certificate.issued_at, sign, 0)


def ledger_event(entry):
    if entry.is_transfer:  # credit re-expressed at another institution is not new credit
        return None
    sign = -1 if entry.credits < 0 else 1
    return ("credited", entry.learner_id, entry.offering_iri, entry.recorded_at, sign, entry.credits)


def count(events) -> None:
    """Add events to the summary rows; a failure is logged and never breaks the write that caused it."""
    events = [(metric, learner, iri, local_day(when), n, amount)
              for metric, learner, iri, when, n, amount in filter(None, events)]
    try:
        api.count_events(events)
    except Exception:  # noqa: BLE001
        log.exception("reports: could not count %s", ", ".join(sorted({e[0] for e in events})))


def on_enrolled(sender, enrollment, **kwargs):
    count([enrolment_event(enrollment)])


def on_completion(sender, completion, **kwargs):
    count([completion_event(completion)])


def on_completion_revoked(sender, completion, **kwargs):
    count([completion_event(completion, -1)])


def on_certificate(sender, certificate, **kwargs):
    count([certificate_event(certificate)])


def on_certificate_revoked(sender, certificate, **kwargs):
    count([certificate_event(certificate, -1)])


def on_ledger_entry(sender, entry, **kwargs):
    count([ledger_event(entry)])


# (module, signal name, receiver): connected only when the source app is installed.
SOURCES = [
    ("lms.xapi.signals", "statements_recorded", on_statements),
    ("lms.enrollment.signals", "enrolled", on_enrolled),
    ("lms.completion.signals", "completion_recorded", on_completion),
    ("lms.completion.signals", "completion_revoked", on_completion_revoked),
    ("lms.certificates.signals", "certificate_issued", on_certificate),
    ("lms.certificates.signals", "certificate_revoked", on_certificate_revoked),
    ("lms.credits.signals", "ledger_entry_recorded", on_ledger_entry),
]


def connect() -> list[str]:
    """Connect every available source; returns the names connected (a system check reports gaps)."""
    from django.apps import apps

    connected = []
    for module_name, signal_name, receiver in SOURCES:
        if not apps.is_installed(module_name.rsplit(".", 1)[0]):
            continue
        try:
            signal = getattr(import_module(module_name), signal_name)
        except (ImportError, AttributeError):
            continue
        signal.connect(receiver, dispatch_uid=f"reports.{signal_name}")
        connected.append(f"{module_name}.{signal_name}")
    return connected

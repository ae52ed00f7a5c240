"""Celery tasks of the LRS: the projections of statements posted over HTTP, run in a worker."""
from celery import shared_task

# A drain hands the worker back after this long and queues its own continuation, so that the worker's
# other tasks (forwarding, credit delivery, folding) are not held up behind a long backlog.
DRAIN_SECONDS = 10.0


@shared_task(name="xapi.project_pending", acks_late=True, ignore_result=True)
def project_pending() -> int:
    """Project the batches in the outbox (``lms.xapi.projections``), yielding to the LRS while it is busy;
    returns how many statements were sent.

    Queued after a recorded batch (one at a time with a shared cache) and by beat (a sweep for batches whose
    message was lost). A message may find the work already done by an earlier one: one empty query.
    """
    from . import projections

    projections.worker_woken()
    sent = projections.drain(seconds=DRAIN_SECONDS, pace=True)
    if projections.pending():
        project_pending.apply_async(retry=False)
    return sent


@shared_task(name="xapi.send_recorded", acks_late=True)
def send_recorded(statement_ids: list[str]) -> int:
    """Send ``statements_recorded`` for a committed batch, re-read by id in one query; returns how many.

    No longer queued (batches go through the outbox); kept so that messages queued by the previous release
    are still projected after an upgrade. Its receivers are idempotent, so a re-delivery is harmless.
    """
    from . import api

    return api.send_recorded(statement_ids)

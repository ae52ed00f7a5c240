"""Celery task of the LRS: the projections of statements posted over HTTP, run in a worker."""
from celery import shared_task


@shared_task(name="xapi.send_recorded", acks_late=True)
def send_recorded(statement_ids: list[str]) -> int:
    """Send ``statements_recorded`` for a committed batch, re-read by id in one query; returns how many.

    Its receivers are idempotent projections, so a re-delivery after a worker crash (late ack) is harmless.
    """
    from . import api

    return api.send_recorded(statement_ids)

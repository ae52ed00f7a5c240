"""Celery tasks of completion: work too big for the request that caused it."""
from celery import shared_task


@shared_task(name="completion.reevaluate_outline", acks_late=True)
def reevaluate_outline(offering_iri: str) -> int:
    """Re-evaluate every learner of a just-published outline (idempotent: safe to run twice)."""
    from . import api

    return api.reevaluate_outline(offering_iri)

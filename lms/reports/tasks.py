"""Background work of the reports app (Celery; eager without a broker)."""
from celery import shared_task


@shared_task(name="reports.fold_active_learners")
def fold_active_learners() -> int:
    """Fold new learner-days into the active-learner sets (scheduled by beat every few seconds)."""
    from . import api

    return api.fold_active_learners()

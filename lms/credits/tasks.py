"""Celery tasks for the feed. Without a broker they run in-process after commit (the embedded
default); a failed try is then picked up by ``credits_deliver`` (cron) or beat's ``deliver_due``."""
from celery import shared_task
from django.conf import settings


@shared_task(name="credits.deliver_entries", acks_late=True)
def deliver_entries(delivery_ids: list[int]) -> None:
    from . import feed
    from .models import OutboxDelivery

    for delivery_id in delivery_ids:
        delivery = feed.deliver(delivery_id)
        if (delivery is not None and delivery.status == OutboxDelivery.Status.PENDING
                and not settings.CELERY_TASK_ALWAYS_EAGER):
            deliver_entries.apply_async(([delivery_id],), eta=delivery.next_attempt_at)


@shared_task(name="credits.deliver_due")
def deliver_due() -> dict:
    from . import feed

    return feed.deliver_due()

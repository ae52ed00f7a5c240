"""Celery tasks of the forwarding outbox (a worker sends; recording never waits)."""
from celery import shared_task


@shared_task(name="lrs_forwarder.forward_deliveries", acks_late=True)
def forward_deliveries(delivery_ids: list[int]) -> None:
    from . import outbox
    from .models import ForwardingDelivery

    for delivery_id in delivery_ids:
        delivery = outbox.deliver(delivery_id)
        if delivery is not None and delivery.status == ForwardingDelivery.Status.PENDING:
            forward_deliveries.apply_async(([delivery_id],), eta=delivery.next_attempt_at)


@shared_task(name="lrs_forwarder.forward_due")
def forward_due() -> int:
    from . import outbox

    return outbox.deliver_due()

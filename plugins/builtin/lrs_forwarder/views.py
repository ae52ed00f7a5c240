"""Admin views: the failed deliveries and their "retry" action."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import outbox
from .models import ForwardingDelivery

PERMISSION = "lrs_forwarder.change_forwardingdelivery"


def failed_deliveries(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    deliveries = (ForwardingDelivery.objects.filter(status=ForwardingDelivery.Status.FAILED)
                  .select_related("target").order_by("-created")[:200])
    return TemplateResponse(request, "lrs_forwarder/failed_deliveries.html", {
        "deliveries": deliveries, "page_title": _("Failed LRS deliveries"),
    })


@require_POST
def retry_delivery(request, pk: int):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    delivery = get_object_or_404(ForwardingDelivery, pk=pk)
    outbox.retry(delivery.pk)
    messages.success(request, _("Delivery %(id)s will be sent again now.") % {"id": delivery.pk})
    return redirect("lrs_forwarder_failed")

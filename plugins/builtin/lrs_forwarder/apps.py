from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LRSForwarderConfig(AppConfig):
    name = "plugins.builtin.lrs_forwarder"
    label = "lrs_forwarder"
    verbose_name = _("LRS forwarding")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lms.xapi.signals import statements_storing

        from . import outbox
        from .models import ForwardingTarget

        # Inside the recording transaction: outbox rows commit with the statements (see outbox.py).
        statements_storing.connect(outbox.on_statements_storing, dispatch_uid="lrs_forwarder.outbox")
        # This process notices target changes at once; other processes within ENABLED_CACHE_SECONDS.
        post_save.connect(outbox.forget_targets, sender=ForwardingTarget, dispatch_uid="lrs_forwarder.saved")
        post_delete.connect(outbox.forget_targets, sender=ForwardingTarget, dispatch_uid="lrs_forwarder.deleted")

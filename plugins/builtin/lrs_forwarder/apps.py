from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LRSForwarderConfig(AppConfig):
    name = "plugins.builtin.lrs_forwarder"
    label = "lrs_forwarder"
    verbose_name = _("LRS forwarding")

    def ready(self):
        from lms.xapi.signals import statements_recorded

        from . import outbox

        statements_recorded.connect(outbox.on_statements_recorded, dispatch_uid="lrs_forwarder.outbox")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "lms.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from lms.completion.signals import completion_recorded, completion_revoked

        from . import receivers

        completion_recorded.connect(receivers.issue_on_completion, dispatch_uid="certificates.issue")
        completion_revoked.connect(receivers.revoke_with_completion, dispatch_uid="certificates.revoke")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "lms.credits"
    label = "credits"
    verbose_name = _("Credit bank")

    def ready(self):
        # Wiring only (no queries). The completion and certificate apps are built alongside this one:
        # connect to their signals when they are installed, and stay usable through api.* when not.
        from django.db.models.signals import post_migrate

        from . import receivers

        receivers.connect()
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="credits.officer_group")


def _after_migrate(app_config, using="default", **kwargs):
    # Auth creates permissions on post_migrate too, possibly after us: create ours first.
    from django.contrib.auth.management import create_permissions

    from .permissions import ensure_officer_group

    create_permissions(app_config, verbosity=0, using=using)
    ensure_officer_group()

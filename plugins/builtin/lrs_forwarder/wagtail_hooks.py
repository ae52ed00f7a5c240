"""Admin UI glue: forwarding targets (Settings menu) and the failed deliveries with "retry"."""
from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .models import ForwardingTarget


class ForwardingTargetForm(WagtailAdminModelForm):
    secret = forms.CharField(label=_("secret"), required=False, strip=False,
                             widget=forms.PasswordInput(render_value=False),
                             help_text=_("Leave empty to keep the current secret."))

    class Meta:
        model = ForwardingTarget
        fields = ["name", "endpoint", "key", "secret", "version", "enabled", "timeout_seconds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stored_secret = self.instance.secret

    def clean_secret(self):
        secret = self.cleaned_data.get("secret") or self._stored_secret
        if not secret:
            raise forms.ValidationError(_("A new target needs the remote LRS's secret."))
        return secret


class ForwardingTargetViewSet(ModelViewSet):
    model = ForwardingTarget
    form_fields = ["name", "endpoint", "key", "secret", "version", "enabled", "timeout_seconds"]
    list_display = ["name", "endpoint", "version", "enabled"]
    icon = "resubmit"
    menu_label = _("LRS forwarding")
    add_to_settings_menu = True

    def get_form_class(self, for_update=False):
        return ForwardingTargetForm


@hooks.register("register_admin_viewset")
def register_targets():
    return ForwardingTargetViewSet("lrs_forwarding_targets")


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("lrs-forwarding/failed/", views.failed_deliveries, name="lrs_forwarder_failed"),
        path("lrs-forwarding/<int:pk>/retry/", views.retry_delivery, name="lrs_forwarder_retry"),
    ]


class FailedDeliveriesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_settings_menu_item")
def register_failed_menu():
    return FailedDeliveriesMenuItem(_("Failed LRS deliveries"), reverse("lrs_forwarder_failed"), icon_name="warning",
                                    order=900)

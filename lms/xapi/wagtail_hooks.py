"""Admin UI glue: LRS clients are managed in the Wagtail admin (Settings → LRS clients)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from .models import LRSClient, Scope


class LRSClientForm(WagtailAdminModelForm):
    secret = forms.CharField(
        label=_("secret"), required=False, min_length=8, strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Only its hash is stored. Leave empty to keep the current secret."),
    )
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = LRSClient
        fields = ["name", "key", "institution", "scopes", "is_active"]

    def clean_key(self):
        key = self.cleaned_data["key"]
        if ":" in key:
            raise forms.ValidationError(_("The key cannot contain ':'."))
        return key

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("secret"):
            self.add_error("secret", _("A new client needs a secret."))
        return cleaned

    def save(self, commit=True):
        client = super().save(commit=False)
        if self.cleaned_data.get("secret"):
            client.set_secret(self.cleaned_data["secret"])
        if commit:
            client.save()
        return client


class LRSClientViewSet(ModelViewSet):
    model = LRSClient
    form_fields = ["name", "key", "institution", "scopes", "is_active"]
    list_display = ["name", "key", "institution", "scopes", "is_active"]
    search_fields = ["name", "key"]
    icon = "key"
    menu_label = _("LRS clients")
    add_to_settings_menu = True

    def get_form_class(self, for_update=False):
        return LRSClientForm


@hooks.register("register_admin_viewset")
def register_lrs_clients():
    return LRSClientViewSet("lrs_clients")

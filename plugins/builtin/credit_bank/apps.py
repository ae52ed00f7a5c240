from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditBankPluginConfig(AppConfig):
    name = "plugins.builtin.credit_bank"
    label = "credit_bank"
    verbose_name = _("Credit bank feed")

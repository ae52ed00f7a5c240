"""The built-in credit-bank connector: HMAC-signed JSON over HTTPS to the provincial credit bank, or to
a provincial instance of this platform acting as the hub (``/credits/hub/entries``). Importing this
module has no side effects."""
from plugins.core.interfaces import PluginSpec

from .connector import HttpCreditBankConnector

PLUGIN = PluginSpec(
    id="credit_bank",
    name="Credit bank feed (学分银行)",
    version="1.0.0",
    credit_bank_connectors=(HttpCreditBankConnector,),
    description="Delivers every credit-ledger entry to CREDIT_BANK_FEED_URL, signed with CREDIT_BANK_FEED_SECRET.",
)

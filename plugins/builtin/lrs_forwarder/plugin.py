"""The built-in LRS forwarder: sends every recorded statement on to other LRSs (the province's, an
institution's own) with the tincan library. Importing this module has no side effects."""
from plugins.core.interfaces import PluginSpec

from .forwarder import TinCanForwarder

PLUGIN = PluginSpec(
    id="lrs_forwarder",
    name="LRS forwarding (xAPI)",
    version="1.0.0",
    lrs_forwarders=(TinCanForwarder,),
    description="Forwards statements to the LRS targets configured in the admin, through an outbox with retries.",
)

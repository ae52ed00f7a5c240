"""The document plugin's spec. Importing this module has no side effects."""
from plugins.core.interfaces import PluginSpec

from .activity import DocumentActivity

PLUGIN = PluginSpec(
    id="document", name="Document (文档)", version="1.0.0", activity_types=(DocumentActivity,),
    description="A document to open and read; records launched and completed.",
)

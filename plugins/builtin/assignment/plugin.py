"""The assignment plugin's spec. Importing this module has no side effects."""
from plugins.core.interfaces import PluginSpec

from .activity import AssignmentActivity

PLUGIN = PluginSpec(
    id="assignment", name="Assignment (作业)", version="1.0.0", activity_types=(AssignmentActivity,),
    description="File upload checked by content, scored by a teacher with a comment.",
)

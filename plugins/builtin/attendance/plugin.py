"""The attendance plugin's spec. Importing this module has no side effects."""
from plugins.core.interfaces import PluginSpec

from .activity import AttendanceActivity

PLUGIN = PluginSpec(
    id="attendance", name="Attendance (送教下乡签到)", version="1.0.0", activity_types=(AttendanceActivity,),
    description="A trainer signs off a face-to-face session for the learners who attended.",
)

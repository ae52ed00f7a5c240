"""The video plugin's spec. Importing this module has no side effects."""
from plugins.core.interfaces import PluginSpec

from .activity import VideoActivity

PLUGIN = PluginSpec(
    id="video", name="Video (视频)", version="1.0.0", activity_types=(VideoActivity,),
    description="HTML5 video with watched time, resume and quarter-point progress recorded as xAPI.",
)

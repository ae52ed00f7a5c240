"""The quiz plugin's spec. Importing this module has no side effects."""
from plugins.core.interfaces import PluginSpec

from .activity import QuizActivity

PLUGIN = PluginSpec(
    id="quiz", name="Quiz (测验)", version="1.0.0", activity_types=(QuizActivity,),
    description="Question banks, random draw, attempt limits and a pass mark; answers checked on the server.",
)

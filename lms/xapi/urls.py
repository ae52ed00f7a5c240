"""/xapi/ resources. Paths accept an optional trailing slash: content in the wild uses both."""
from django.urls import re_path

from .rest_api import documents, statements

app_name = "xapi"

urlpatterns = [
    re_path(r"^statements/?$", statements.statements, name="statements"),
    re_path(r"^activities/state/?$", documents.state, name="state"),
    re_path(r"^activities/profile/?$", documents.activity_profile, name="activity_profile"),
    re_path(r"^activities/?$", documents.activities, name="activities"),
    re_path(r"^agents/profile/?$", documents.agent_profile, name="agent_profile"),
    re_path(r"^agents/?$", documents.agents, name="agents"),
    re_path(r"^about/?$", documents.about, name="about"),
]

"""Signal receivers: thin, they call ``api``."""
from . import api


def project_recorded(sender, statements, **kwargs):
    api.project(statements)

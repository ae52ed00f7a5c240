"""Signal receivers: thin, they call ``api``."""
from . import api


def evaluate_changed(sender, changes, **kwargs):
    api.evaluate_changes(changes)

"""Signal receivers: thin, they call ``api``."""
from . import api


def issue_on_completion(sender, completion, **kwargs):
    api.issue(completion=completion)


def revoke_with_completion(sender, completion, **kwargs):
    api.revoke_for_completion(completion_id=completion.id)

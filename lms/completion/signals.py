"""Signals of the completion app (contract 5).

Both carry kwarg ``completion``: a ``data.CompletionRecord``. Both are sent after commit.
``completion_recorded`` is sent exactly once per learner and offering (again only after a revocation);
``completion_revoked`` when a voided statement undoes a completion.
"""
from django.dispatch import Signal

completion_recorded = Signal()
completion_revoked = Signal()

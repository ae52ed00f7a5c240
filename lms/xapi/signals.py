"""Signals other apps listen to. Sent after the recording transaction commits."""
from django.dispatch import Signal

# kwarg ``statements``: list of the stored statement dicts (with id, stored, timestamp, authority),
# voiding statements included, in stored order. Projections (progress, completion) re-evaluate on it.
statements_recorded = Signal()

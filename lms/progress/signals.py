"""Signals other apps may listen to.

``activities_changed`` is sent after the progress rows for some learner x activity pairs changed and were
committed; kwarg ``changes`` is a set of ``(learner_id, activity_iri)`` tuples. ``lms.completion``
re-evaluates the offerings that contain those activities.
"""
from django.dispatch import Signal

activities_changed = Signal()

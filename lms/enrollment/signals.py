"""Signals other apps may subscribe to.

``enrolled`` (kwarg ``enrollment``: ``lms.enrollment.data.EnrollmentRecord``) is sent once per new
enrolment, after the transaction that stored it commits.
"""
from django.dispatch import Signal

enrolled = Signal()

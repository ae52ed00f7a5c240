"""Learner state per activity, projected from xAPI statements the moment they are recorded.

Statements are the source of truth; every row here can be rebuilt from ``lms.xapi.api.iter_statements()``.
"""

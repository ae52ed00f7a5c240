"""Institutions and regions: the tenants that authoring, scoping and reporting are keyed by.

This app sits below every other ``lms`` app (and below ``courses``) because learner profiles,
LRS clients, credits and reports all refer to an institution or a region, and ``lms`` must not import
``courses``. The admin UI (snippets) is wired up from ``courses/wagtail_hooks.py``.
"""

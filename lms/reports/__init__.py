"""Dashboards and exports for institutions, cities, the province and overseas centres.

Reports never count raw rows per request. Every learning event (enrolment, completion, certificate,
credit) adds to roll-up rows the moment it happens (``api.count_event``), per day and month and per
grouping of the dimensions officials drill into; activity marks learners active in exact per-period sets.
Dashboards read the few rows their question needs. See ``readme.md``.
"""

"""Dashboards and exports for institutions, cities, the province and overseas centres.

Reports never count raw rows per request. Every learning event (enrolment, activity, completion,
certificate, credit) increments a summary row the moment it happens (``api.count_event``), keyed by day
and by the dimensions officials drill into; dashboards sum those rows. See ``readme.md``.
"""

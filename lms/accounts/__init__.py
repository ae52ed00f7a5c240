"""People on the platform: profiles (real name, mobile, region, learner type, institution) and roles.

A role decides a person's data scope: a learner sees their own records, a teacher their institution's
content, an official their region. See ``api.py``.
"""

"""Builders for people in the accounts and enrolment tests."""
from __future__ import annotations

import itertools

from lms.accounts import api
from tests import factories

_seq = itertools.count(1)
PASSWORD = "Gansu-pass-2026!"


def learner(*, institution=None, region=None, mobile=None, username=None, **fields):
    n = next(_seq)
    return api.create_person(
        username=username or f"learner{n}", password=PASSWORD, real_name=f"学员{n}", role=api.Role.LEARNER,
        institution=institution, region=region, learner_type=fields.pop("learner_type", "farmer"), mobile=mobile,
        **fields,
    )


def staff(role, *, institution=None, region=None, username=None):
    n = next(_seq)
    return api.create_person(username=username or f"{role}{n}", password=PASSWORD, real_name=f"职员{n}", role=role,
                             institution=institution, region=region)


def institution_admin(institution=None):
    return staff(api.Role.INSTITUTION_ADMIN, institution=institution or factories.institution())


def county(city=None, code=None):
    city = city or factories.region()
    return factories.region(code=code or f"{city.code[:4]}{next(_seq) % 90 + 10:02d}", level="county", parent=city)

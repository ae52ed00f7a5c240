"""Who may see which part of the numbers.

The province sees everything; a city official their city and its counties; an institution admin (and an
overseas centre admin, whose centre is an institution) the content of their institution. Everyone else
sees no dashboard. The scope is applied inside every query (``queries.py``), never left to the template.
"""
from __future__ import annotations

from dataclasses import dataclass

from lms.accounts import api as accounts


@dataclass(frozen=True)
class ReportScope:
    kind: str  # "province" | "city" | "institution"
    city_code: str = ""
    institution_id: int | None = None
    label: str = ""

    def allows_city(self, code: str) -> bool:
        return self.kind != "city" or code == self.city_code

    def allows_county(self, code: str) -> bool:
        return self.kind != "city" or code[:4] == self.city_code[:4]

    def allows_institution(self, institution_id: int) -> bool:
        return self.kind != "institution" or institution_id == self.institution_id


def scope_for(user) -> ReportScope | None:
    """The user's reporting scope, or None when they may not see dashboards at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    role = accounts.role_of(user)
    if user.is_superuser or role == accounts.Role.PROVINCE_OFFICIAL:
        return ReportScope(kind="province", label="甘肃省")
    if role == accounts.Role.CITY_OFFICIAL:
        region = accounts.region_of(user)
        if region is None:
            return None
        city = region if region.level == "city" else region.parent
        return ReportScope(kind="city", city_code=city.code, label=city.name)
    if role in (accounts.Role.INSTITUTION_ADMIN, accounts.Role.CENTRE_ADMIN):
        institution = accounts.institution_of(user)
        if institution is None:
            return None
        return ReportScope(kind="institution", institution_id=institution.pk, label=institution.name)
    return None

"""Public interface of the accounts app."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from lms.institutions.models import Institution, Region

from .models import LearnerType, Profile, Role

__all__ = [
    "LearnerType", "Role", "create_person", "institution_of", "learner_dimensions", "region_of", "role_of",
    "user_for_agent", "xapi_agent",
]


@transaction.atomic
def create_person(
    *,
    username: str,
    password: str,
    real_name: str,
    role: str = Role.LEARNER,
    institution: Institution | None = None,
    region: Region | None = None,
    learner_type: str = "",
    mobile: str | None = None,
    email: str = "",
):
    """Create (or update, keyed by username) a user with a profile. Returns the user."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.first_name = real_name[:150]
    user.email = email or user.email
    user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "real_name": real_name, "role": role, "institution": institution,
            "region": region, "learner_type": learner_type, "mobile": mobile,
        },
    )
    return user


def role_of(user) -> str | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.role if profile else None


def institution_of(user) -> Institution | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.institution if profile else None


def xapi_agent(user) -> dict:
    """The xAPI Agent that stands for ``user`` in every statement the platform records.

    Keyed by the user's id (never by mobile number or e-mail, which change and are personal data).
    """
    profile = getattr(user, "profile", None)
    return {
        "objectType": "Agent",
        "name": (profile.real_name if profile else "") or user.get_username(),
        "account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": str(user.pk)},
    }


def user_for_agent(agent: dict):
    """The platform user an xAPI Agent stands for, or None for agents from elsewhere."""
    account = (agent or {}).get("account") or {}
    if account.get("homePage") != settings.XAPI_ACCOUNT_HOMEPAGE or not str(account.get("name", "")).isdigit():
        return None
    return get_user_model().objects.filter(pk=int(account["name"])).first()


def learner_dimensions(user_ids) -> dict[int, dict]:
    """Reporting dimensions of learners, in one query: city and county codes, learner type, institution.

    Reports key their summary rows by these; a learner without a profile gets empty dimensions.
    """
    rows = Profile.objects.filter(user_id__in=set(user_ids)).select_related("region", "region__parent")
    found = {}
    for profile in rows:
        region = profile.region
        city = county = ""
        if region is not None:
            if region.level == Region.Level.COUNTY:
                county, city = region.code, region.parent.code if region.parent else ""
            elif region.level == Region.Level.CITY:
                city = region.code
        found[profile.user_id] = {
            "city_code": city, "county_code": county,
            "learner_type": profile.learner_type or "", "learner_institution_id": profile.institution_id,
        }
    empty = {"city_code": "", "county_code": "", "learner_type": "", "learner_institution_id": None}
    return {user_id: found.get(user_id, empty) for user_id in user_ids}


def region_of(user) -> Region | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.region if profile else None

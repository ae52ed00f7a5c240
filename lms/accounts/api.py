"""Public interface of the accounts app: people, roles and data scopes.

Writes go through the functions here (each one transaction). Other apps use ``scope_for`` and
``learners_in_scope`` to limit what they show, and ``xapi_agent``/``user_for_agent`` for xAPI identity.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lms.institutions.api import Institution, Region, region_subtree_codes

from .data import LearnerRow, RowError, Scope
from .models import LearnerType, Profile, Role

__all__ = [
    "BulkImportRejected", "LearnerType", "Role", "Scope", "bulk_create_learners", "create_person",
    "institution_learners", "institution_of", "learner_dimensions", "learners_in_scope", "mobile_taken",
    "normalise_mobile", "region_of", "regions_for_sign_up", "user_for_login", "username_taken",
    "reset_learner_password", "role_of", "scope_for", "sign_up", "update_profile", "user_for_agent",
    "users_by_identifier", "xapi_agent",
]

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_BULK_ROWS = 2000


def normalise_mobile(value: str) -> str | None:
    """A mainland China mobile number in its 11-digit form, or None if ``value`` is not one.

    Accepts spaces, dashes and a +86 / 0086 prefix, as people type them.
    """
    digits = re.sub(r"[\s\-()]", "", value or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
            break
    return digits if MOBILE_RE.match(digits) else None


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
    user, _created = User.objects.get_or_create(username=username, defaults={"email": email})
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


def _profile(user):
    return getattr(user, "profile", None) if user is not None and user.is_authenticated else None


def role_of(user) -> str | None:
    profile = _profile(user)
    return profile.role if profile else None


def institution_of(user) -> Institution | None:
    profile = _profile(user)
    return profile.institution if profile else None


def region_of(user) -> Region | None:
    profile = _profile(user)
    return profile.region if profile else None


def scope_for(user) -> Scope:
    """The data scope of ``user`` (see ``Scope``). Anonymous users get an empty scope."""
    if user is None or not user.is_authenticated:
        return Scope(user_id=None, role=None)
    profile = _profile(user)
    role = profile.role if profile else None
    if user.is_superuser or role == Role.PROVINCE_OFFICIAL:
        codes = frozenset(region_subtree_codes(profile.region)) if profile and profile.region_id else frozenset()
        return Scope(user_id=user.pk, role=role, region_codes=codes, everything=True,
                     institution_id=profile.institution_id if profile else None)
    if profile is None:
        return Scope(user_id=user.pk, role=None)
    if role == Role.CITY_OFFICIAL:
        codes = frozenset(region_subtree_codes(profile.region)) if profile.region_id else frozenset()
        return Scope(user_id=user.pk, role=role, region_codes=codes)
    if role == Role.CENTRE_ADMIN:
        return Scope(user_id=user.pk, role=role, centre_site_id=profile.centre_id)
    if role in (Role.TEACHER, Role.INSTITUTION_ADMIN):
        return Scope(user_id=user.pk, role=role, institution_id=profile.institution_id)
    return Scope(user_id=user.pk, role=role, institution_id=profile.institution_id)


def learners_in_scope(scope: Scope) -> QuerySet:
    """Ids of the learners whose records ``scope`` may see, as a subquery for ``filter(learner_id__in=...)``."""
    User = get_user_model()
    users = User.objects.filter(profile__role=Role.LEARNER)
    if scope.everything:
        pass
    elif scope.role in (Role.TEACHER, Role.INSTITUTION_ADMIN) and scope.institution_id:
        users = users.filter(profile__institution_id=scope.institution_id)
    elif scope.role == Role.CITY_OFFICIAL and scope.region_codes:
        users = users.filter(profile__region__code__in=scope.region_codes)
    elif scope.role == Role.CENTRE_ADMIN and scope.centre_site_id:
        users = users.filter(profile__centre_id=scope.centre_site_id)
    elif scope.role == Role.LEARNER and scope.user_id:
        users = users.filter(pk=scope.user_id)
    else:
        users = users.none()
    return users.values_list("pk", flat=True)


def users_by_identifier(identifiers) -> dict[str, object]:
    """Map each identifier (a username or a mobile number, as typed) to its active user, in two queries.

    Identifiers that match nobody are absent from the result.
    """
    User = get_user_model()
    wanted = {str(i).strip() for i in identifiers if str(i).strip()}
    mobiles = {normalise_mobile(i): i for i in wanted if normalise_mobile(i)}
    found: dict[str, object] = {}
    for user in User.objects.filter(username__in=wanted, is_active=True):
        found[user.username] = user
    for profile in Profile.objects.filter(mobile__in=list(mobiles), user__is_active=True).select_related("user"):
        found.setdefault(mobiles[profile.mobile], profile.user)
    return found


def user_for_login(identifier: str) -> str:
    """The username to authenticate for what a person typed in the login form (username or mobile)."""
    mobile = normalise_mobile(identifier)
    if mobile:
        username = Profile.objects.filter(mobile=mobile).values_list("user__username", flat=True).first()
        if username:
            return username
    return identifier.strip()


@transaction.atomic
def reset_learner_password(*, by, learner_id: int, new_password: str) -> None:
    """An institution admin sets a new password for a learner of their own institution.

    Raises ``PermissionDenied`` for anyone else's learner and ``ValidationError`` for a weak password.
    """
    scope = scope_for(by)
    profile = Profile.objects.select_related("user").select_for_update().filter(user_id=learner_id).first()
    if profile is None or not scope.is_institution_admin or profile.role != Role.LEARNER \
            or profile.institution_id != scope.institution_id:
        raise PermissionDenied(_("You may reset passwords only for learners of your own institution."))
    validate_password(new_password, user=profile.user)
    profile.user.set_password(new_password)
    profile.user.save(update_fields=["password"])


class BulkImportRejected(ValueError):
    """A bulk upload that was refused as a whole; ``errors`` say which row and what to fix."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors[:20]))
        self.errors = errors


def _learner_type_code(value: str) -> str | None:
    value = (value or "").strip()
    for choice in LearnerType:
        if value.lower() in {choice.value, str(choice.label).lower()} or value in _CHINESE_TYPES.get(choice, ()):
            return choice.value
    return None


_CHINESE_TYPES = {
    LearnerType.STUDENT: ("学生",), LearnerType.FARMER: ("农民",),
    LearnerType.WORKER: ("在岗职工", "职工"), LearnerType.SOCIAL: ("社会学员",),
}


def bulk_create_learners(*, by, rows: list[LearnerRow]) -> list:
    """Create every learner in ``rows`` for ``by``'s institution, or none of them.

    Every row is checked first (required fields, mobile format, learner type, region code, password
    strength, duplicates within the file and against existing accounts); any problem raises
    ``BulkImportRejected`` listing all of them with their row numbers, and nothing is stored.
    """
    scope = scope_for(by)
    if not scope.is_institution_admin:
        raise PermissionDenied(_("Only an institution administrator can create learners in bulk."))
    if not rows:
        raise BulkImportRejected([RowError(0, "", _("The file holds no learners."))])
    if len(rows) > MAX_BULK_ROWS:
        raise BulkImportRejected([RowError(0, "", _("At most %(n)d learners per file.") % {"n": MAX_BULK_ROWS})])
    User = get_user_model()
    regions = {r.code: r for r in Region.objects.filter(
        code__in={row.region_code for row in rows}, level__in=[Region.Level.CITY, Region.Level.COUNTY])}
    prepared, errors, seen_usernames, seen_mobiles = [], [], {}, {}
    for row in rows:
        problems: list[tuple[str, str]] = []
        mobile = normalise_mobile(row.mobile) if row.mobile else None
        if row.mobile and not mobile:
            problems.append(("mobile", _("“%(value)s” is not a mainland China mobile number.") % {"value": row.mobile}))
        username = row.username.strip() or (mobile or "")
        if not username:
            problems.append(("username", _("Give a username or a mobile number.")))
        elif username.isdigit() and username != mobile:
            problems.append(("username", _("A username of digits only must be the learner's mobile number.")))
        if not row.real_name.strip():
            problems.append(("real_name", _("The real name is required.")))
        learner_type = _learner_type_code(row.learner_type)
        if learner_type is None:
            problems.append(("learner_type", _("Unknown learner type “%(value)s”.") % {"value": row.learner_type}))
        region = regions.get(row.region_code.strip())
        if region is None:
            problems.append(("region_code", _("“%(value)s” is not the code of a city or county.") % {
                "value": row.region_code}))
        try:
            validate_password(row.password, user=User(username=username))
        except ValidationError as exc:
            problems.append(("password", " ".join(exc.messages)))
        for key, seen, column in ((username, seen_usernames, "username"), (mobile, seen_mobiles, "mobile")):
            if key and key in seen:
                problems.append((column, _("Same as row %(row)d.") % {"row": seen[key]}))
            elif key:
                seen[key] = row.row
        errors += [RowError(row.row, column, message) for column, message in problems]
        prepared.append((row, username, mobile, learner_type, region))
    taken_usernames = set(User.objects.filter(username__in=list(seen_usernames)).values_list("username", flat=True))
    taken_mobiles = set(Profile.objects.filter(mobile__in=list(seen_mobiles)).values_list("mobile", flat=True))
    for row, username, mobile, *_rest in prepared:
        if username in taken_usernames:
            errors.append(RowError(row.row, "username", _("An account “%(value)s” already exists.") % {
                "value": username}))
        if mobile and mobile in taken_mobiles:
            errors.append(RowError(row.row, "mobile", _("Mobile number %(value)s is already registered.") % {
                "value": mobile}))
    if errors:
        raise BulkImportRejected(sorted(errors, key=lambda e: e.row))
    institution = Institution.objects.get(pk=scope.institution_id)
    created = []
    with transaction.atomic():
        for row, username, mobile, learner_type, region in prepared:
            user = User(username=username, first_name=row.real_name.strip()[:150])
            user.set_password(row.password)
            user.save()
            Profile.objects.create(user=user, real_name=row.real_name.strip(), mobile=mobile, role=Role.LEARNER,
                                   learner_type=learner_type, region=region, institution=institution)
            created.append(user)
    return created


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


def mobile_taken(mobile: str) -> bool:
    return Profile.objects.filter(mobile=mobile).exists()


def username_taken(username: str) -> bool:
    return get_user_model().objects.filter(username__iexact=username).exists()


@transaction.atomic
def sign_up(*, identifier: str, password: str, real_name: str, region: Region, learner_type: str,
            institution: Institution | None = None):
    """A learner registers themselves with a mobile number or a username. Returns the new user.

    Raises ``ValidationError`` (keyed by field) if the username or mobile number is taken — also when
    two people race for it, thanks to the unique constraints.
    """
    from django.db import IntegrityError

    mobile = normalise_mobile(identifier)
    username = mobile or identifier.strip()
    if username_taken(username) or (mobile and mobile_taken(mobile)):
        raise ValidationError({"identifier": _("This mobile number or username is already registered.")})
    User = get_user_model()
    try:
        with transaction.atomic():
            user = User(username=username, first_name=real_name[:150])
            user.set_password(password)
            user.save()
            Profile.objects.create(user=user, real_name=real_name, mobile=mobile, role=Role.LEARNER,
                                   learner_type=learner_type, region=region, institution=institution)
    except IntegrityError:
        raise ValidationError({"identifier": _("This mobile number or username is already registered.")})
    return user


def regions_for_sign_up() -> list[tuple[str, list[tuple[int, str]]]]:
    """(city name, [(region id, label), ...]) groups: each city then its counties, for a grouped select."""
    cities = list(Region.objects.filter(level=Region.Level.CITY).order_by("code"))
    counties: dict[int, list[Region]] = {}
    for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
        counties.setdefault(county.parent_id, []).append(county)
    return [(city.name, [(city.pk, city.name)] + [(c.pk, f"{city.name} · {c.name}") for c in counties.get(city.pk, [])])
            for city in cities]


@transaction.atomic
def update_profile(user, *, real_name: str, region: Region, learner_type: str,
                   institution: Institution | None) -> None:
    """A person edits their own profile (role, mobile and username are not theirs to change here)."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user, defaults={"real_name": real_name})
    profile.real_name, profile.region, profile.learner_type, profile.institution = (
        real_name, region, learner_type, institution)
    profile.save()
    user.first_name = real_name[:150]
    user.save(update_fields=["first_name"])


def institution_learners(scope: Scope) -> QuerySet:
    """The learners an institution admin manages, with their profiles, newest first."""
    if not scope.is_institution_admin:
        return Profile.objects.none()
    return (Profile.objects.filter(role=Role.LEARNER, institution_id=scope.institution_id)
            .select_related("user", "region").order_by("-user__date_joined"))

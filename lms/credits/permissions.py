"""Who may see a learner's account and who may decide a recognition request.

- A learner sees their own account, never another's (views answer 404 so ids are not probed).
- A credit officer (permission ``credits.decide_recognition`` + an institution on their profile) and an
  institution administrator see learners of their institution: its members, and learners with credit or
  a request there. Officers decide requests made *to their institution* only.
- City officials see learners whose institution or home region is in their city; province officials
  (and superusers) see every account. Only superusers decide for any institution.
The base is the accounts app's data scope (``scope_for``); the credit bank only widens it as above.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from lms.accounts.api import Role, institution_of, learners_in_scope, scope_for

from .models import LedgerEntry, RecognitionRequest

DECIDE = "credits.decide_recognition"


def is_credit_officer(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or (user.has_perm(DECIDE) and institution_of(user))))


def can_decide(user, request: RecognitionRequest) -> bool:
    if not user.is_authenticated or not user.has_perm(DECIDE):
        return False
    if user.is_superuser:
        return True
    institution = institution_of(user)
    return institution is not None and institution.pk == request.institution_id


def decidable_requests(user):
    qs = RecognitionRequest.objects.select_related("learner", "institution")
    if user.is_superuser:
        return qs
    institution = institution_of(user) if user.has_perm(DECIDE) else None
    return qs.filter(institution=institution) if institution else qs.none()


def viewable_learners(user):
    """The users whose accounts ``user`` may read, as a queryset: the accounts app's data scope
    (``scope_for``/``learners_in_scope``), widened for credit officers and institution admins to
    learners with credit or a request at their institution, and for city officials to learners of
    institutions in their city. Teachers and learners see only themselves here."""
    User = get_user_model()
    if not user.is_authenticated:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    scope = scope_for(user)
    officer = user.has_perm(DECIDE)
    if not (scope.everything or officer or scope.role in (Role.INSTITUTION_ADMIN, Role.CITY_OFFICIAL,
                                                          Role.CENTRE_ADMIN)):
        return User.objects.filter(pk=user.pk)
    allowed = Q(pk=user.pk) | Q(pk__in=learners_in_scope(scope))
    if scope.institution_id and (officer or scope.role == Role.INSTITUTION_ADMIN):
        allowed |= (
            Q(profile__institution_id=scope.institution_id)
            | Q(pk__in=LedgerEntry.objects.filter(institution_id=scope.institution_id).values("account__learner_id"))
            | Q(pk__in=RecognitionRequest.objects.filter(institution_id=scope.institution_id).values("learner_id"))
        )
    if scope.role == Role.CITY_OFFICIAL and scope.region_codes:
        allowed |= Q(profile__institution__region__code__in=scope.region_codes)
    return User.objects.filter(allowed).distinct()


def can_view_account(user, learner_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == learner_id:
        return True
    return viewable_learners(user).filter(pk=learner_id).exists()


OFFICER_GROUP = "Credit officers"
_RULE_MODELS = ("coursecreditrule", "certificatecreditrule", "mutualrecognitionrule", "exemptionrule")
OFFICER_PERMISSIONS = (
    "decide_recognition", "view_recognitionrequest", "view_ledgerentry", "view_creditaccount",
    *(f"{action}_{model}" for action in ("add", "change", "delete", "view") for model in _RULE_MODELS),
)


def ensure_officer_group():
    """The "Credit officers" group: decide requests (at the member's own institution) and edit rules
    in the admin. Run after every migrate; idempotent."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=OFFICER_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="credits", codename__in=OFFICER_PERMISSIONS),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return group


def add_credit_officer(user):
    """Make ``user`` a credit officer; they act for the institution on their profile."""
    user.groups.add(ensure_officer_group())

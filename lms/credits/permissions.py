"""Who may see a learner's account and who may decide a recognition request.

- A learner sees their own account, never another's (views answer 404 so ids are not probed).
- A credit officer (permission ``credits.decide_recognition`` + an institution on their profile) and an
  institution administrator see learners of their institution: its members, and learners with credit or
  a request there. Officers decide requests made *to their institution* only.
- City officials see learners whose institution or home region is in their city; province officials
  (and superusers) see every account. Only superusers decide for any institution.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from lms.accounts.api import Role, institution_of, role_of
from lms.institutions.api import region_subtree_codes

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
    """The users whose accounts ``user`` may read, as a queryset (empty for plain learners)."""
    User = get_user_model()
    if not user.is_authenticated:
        return User.objects.none()
    role = role_of(user)
    if user.is_superuser or role == Role.PROVINCE_OFFICIAL:
        return User.objects.all()
    if role == Role.CITY_OFFICIAL:
        region = getattr(user.profile, "region", None)
        if region is None:
            return User.objects.none()
        codes = region_subtree_codes(region)
        return User.objects.filter(
            Q(profile__region__code__in=codes) | Q(profile__institution__region__code__in=codes)
        ).distinct()
    institution = institution_of(user)
    if institution and (role == Role.INSTITUTION_ADMIN or user.has_perm(DECIDE)):
        with_credit = LedgerEntry.objects.filter(institution=institution).values("account__learner_id")
        with_request = RecognitionRequest.objects.filter(institution=institution).values("learner_id")
        return User.objects.filter(
            Q(profile__institution=institution) | Q(pk__in=with_credit) | Q(pk__in=with_request)
        ).distinct()
    return User.objects.filter(pk=user.pk)


def can_view_account(user, learner_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == learner_id:
        return True
    return viewable_learners(user).filter(pk=learner_id).exists()

"""Public interface of the enrolment app (contract 3 in the team brief).

``publish_offering``/``withdraw_offering`` are called by ``courses`` when a course or training package
is published or unpublished; ``enrol`` is the one path by which a learner joins an offering, by
themselves, through a package, or in a cohort uploaded by an institution admin.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts import api as accounts

from . import signals
from .data import CohortResult, EnrollmentRecord, LearningItem, OfferingState
from .models import Enrollment, Offering

__all__ = [
    "AlreadyEnrolled", "EnrolmentRefused", "NotEnrolled", "cohort_enrol", "enrol", "enrolled_learners",
    "enrolment_state", "enrolments_for", "is_enrolled", "learning_items", "offerings_for_cohorts",
    "publish_offering", "require_enrolment", "withdraw_offering",
]

REGISTERED = {"id": "http://adlnet.gov/expapi/verbs/registered", "display": {"en-US": "registered", "zh-CN": "报名"}}
ACTIVITY_TYPES = {
    Offering.Kind.COURSE: "http://adlnet.gov/expapi/activities/course",
    Offering.Kind.PACKAGE: "http://id.tincanapi.com/activitytype/training-package",
}


class EnrolmentRefused(ValueError):
    """``enrol`` did not enrol. ``code`` says why; ``status`` is the HTTP status a page should answer with."""

    status = 400

    def __init__(self, message: str, *, code: str, status: int):
        super().__init__(message)
        self.code = code
        self.status = status


class AlreadyEnrolled(EnrolmentRefused):
    def __init__(self, enrollment: EnrollmentRecord):
        super().__init__(_("You are already enrolled in “%(title)s”.") % {"title": enrollment.title},
                         code="already_enrolled", status=409)
        self.enrollment = enrollment


class NotEnrolled(EnrolmentRefused):
    """The learner is not enrolled in the offering that holds what they tried to do (HTTP 403).

    ``title`` and ``url`` name the offering, so a page can link to its enrol button.
    """

    def __init__(self, *, iri: str, title: str, url: str):
        if title:
            message = _("You are not enrolled in “%(title)s”. Enrol on its page first; nothing was recorded.") % {
                "title": title}
        else:
            message = _("You are not enrolled in this course. Enrol on its page first; nothing was recorded.")
        super().__init__(message, code="not_enrolled", status=403)
        self.iri, self.title, self.url = iri, title, url


def enrolled_learners(iri: str, user_ids) -> set[int]:
    """Which of ``user_ids`` hold an active enrolment in the offering ``iri``, in one query.

    An active enrolment in a package that lists the course counts too: a course published into a package
    after the learner enrolled in the package is still theirs to learn.
    """
    ids = {int(pk) for pk in user_ids if pk is not None}
    if not ids or not iri:
        return set()
    rows = (Enrollment.objects.filter(user_id__in=ids, status=Enrollment.Status.ACTIVE)
            .filter(Q(offering__iri=iri) | Q(offering__kind=Offering.Kind.PACKAGE))
            .values_list("user_id", "offering__iri", "offering__member_iris"))
    return {user_id for user_id, offering_iri, members in rows if offering_iri == iri or iri in (members or [])}


def is_enrolled(user, iri: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.pk in enrolled_learners(iri, [user.pk])


def require_enrolment(user, iri: str) -> None:
    """Raise ``NotEnrolled`` unless ``user`` is enrolled in ``iri`` (one query; two when refused)."""
    if is_enrolled(user, iri):
        return
    offering = Offering.objects.filter(iri=iri).only("title", "url").first()
    raise NotEnrolled(iri=iri, title=offering.title if offering else "", url=offering.url if offering else "")


@transaction.atomic
def publish_offering(*, iri: str, kind: str, title: str, url: str, institution_id: int | None,
                     quota: int | None, is_open: bool, member_iris=()) -> None:
    """Create or update the offering for a published course (``kind="course"``) or package."""
    if kind not in Offering.Kind.values:
        raise ValueError(f"kind must be one of {Offering.Kind.values}, not {kind!r}")
    if quota is not None and quota < 0:
        raise ValueError("quota must be a positive number or None")
    Offering.objects.update_or_create(iri=iri, defaults={
        "kind": kind, "title": title[:255], "url": url, "institution_id": institution_id, "quota": quota,
        "is_open": is_open, "is_published": True, "member_iris": list(member_iris),
    })


@transaction.atomic
def withdraw_offering(*, iri: str) -> None:
    """The course or package was unpublished or deleted: refuse new enrolments, keep the existing ones."""
    Offering.objects.filter(iri=iri).update(is_published=False, updated_at=timezone.now())


def _record(enrollment: Enrollment) -> EnrollmentRecord:
    return EnrollmentRecord(
        id=enrollment.pk, learner_id=enrollment.user_id, offering_iri=enrollment.offering.iri,
        kind=enrollment.offering.kind, title=enrollment.offering.title,
        institution_id=enrollment.offering.institution_id, source=enrollment.source,
        enrolled_at=enrollment.created, via_package_iri=enrollment.via_package.iri if enrollment.via_package else None,
    )


def _registered_statement(user, offering: Offering, when) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": accounts.xapi_agent(user),
        "verb": REGISTERED,
        "object": {"objectType": "Activity", "id": offering.iri, "definition": {
            "type": ACTIVITY_TYPES[offering.kind], "name": {"zh-CN": offering.title}}},
        "timestamp": when.isoformat(),
    }


def _record_statements(statements: list[dict]) -> None:
    """Record the "registered" statements in the LRS, inside the enrolment's transaction (all or nothing)."""
    try:
        from lms.xapi import api as lrs
    except ImportError:  # the LRS is an optional app in the embedded layout
        return
    if statements:
        lrs.record(statements)


def _add(user, offering: Offering, *, source: str, by=None, via: Offering | None = None) -> Enrollment:
    enrollment = Enrollment.objects.create(user=user, offering=offering, source=source, via_package=via,
                                           enrolled_by=by if by is not None and by != user else None)
    record = _record(enrollment)
    transaction.on_commit(lambda: signals.enrolled.send(sender=Enrollment, enrollment=record))
    return enrollment


def _enrol_locked(user, offering: Offering, *, source: str, by) -> list[Enrollment]:
    """Enrol ``user`` in ``offering`` (row already locked) and in a package's member courses."""
    existing = Enrollment.objects.filter(user=user, offering=offering).select_related("offering", "via_package").first()
    if existing is not None:
        raise AlreadyEnrolled(_record(existing))
    if offering.quota is not None:
        taken = Enrollment.objects.filter(offering=offering, status=Enrollment.Status.ACTIVE).count()
        if taken >= offering.quota:
            raise EnrolmentRefused(_("“%(title)s” is full: all %(quota)d places are taken.") % {
                "title": offering.title, "quota": offering.quota}, code="full", status=409)
    added = [_add(user, offering, source=source, by=by)]
    if offering.kind == Offering.Kind.PACKAGE and offering.member_iris:
        members = Offering.objects.filter(iri__in=offering.member_iris, is_published=True)
        already = set(Enrollment.objects.filter(user=user, offering__in=members).values_list("offering_id", flat=True))
        for member in members:
            if member.pk not in already:
                added.append(_add(user, member, source=Enrollment.Source.PACKAGE, by=by, via=offering))
    return added


def _check_available(offering: Offering | None, *, self_service: bool) -> Offering:
    if offering is None:
        raise EnrolmentRefused(_("There is no such course or training package."), code="not_found", status=404)
    if not offering.is_published:
        raise EnrolmentRefused(_("“%(title)s” is not published at the moment, so no one can enrol in it.") % {
            "title": offering.title}, code="unpublished", status=410)
    if self_service and not offering.is_open:
        raise EnrolmentRefused(_("“%(title)s” is not open for self-enrolment; ask your institution.") % {
            "title": offering.title}, code="closed", status=403)
    return offering


def enrol(user, iri: str, *, source: str = Enrollment.Source.SELF, by=None) -> EnrollmentRecord:
    """Enrol ``user`` in the offering ``iri`` and return the enrolment.

    Raises ``AlreadyEnrolled`` (no second row is ever made), or ``EnrolmentRefused`` for an unknown,
    unpublished, closed or full offering. The offering's row is locked while places are counted, so
    concurrent enrolments never overshoot the quota. Records an xAPI "registered" statement per
    enrolment (package members included) in the same transaction.
    """
    if user is None or not user.is_authenticated:
        raise EnrolmentRefused(_("Log in to enrol."), code="anonymous", status=401)
    with transaction.atomic():
        offering = _check_available(Offering.objects.select_for_update().filter(iri=iri).first(),
                                    self_service=source == Enrollment.Source.SELF)
        added = _enrol_locked(user, offering, source=source, by=by)
        now = timezone.now()
        _record_statements([_registered_statement(user, e.offering, now) for e in added])
    return _record(added[0])


def enrolment_state(user, iri: str) -> OfferingState:
    """For the enrol button: is the offering available, is ``user`` enrolled, is it full? Two queries."""
    offering = (Offering.objects.filter(iri=iri)
                .annotate(taken=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ACTIVE)))
                .first())
    if offering is None:
        return OfferingState(iri=iri, available=False, enrolled=False, full=False)
    enrolled = bool(user is not None and user.is_authenticated
                    and Enrollment.objects.filter(user=user, offering=offering).exists())
    return OfferingState(
        iri=iri, available=offering.is_published and offering.is_open, enrolled=enrolled,
        full=offering.quota is not None and offering.taken >= offering.quota, title=offering.title, url=offering.url,
    )


def enrolments_for(user_id: int) -> list[EnrollmentRecord]:
    """Every enrolment of a learner, newest first."""
    rows = Enrollment.objects.filter(user_id=user_id).select_related("offering", "via_package").order_by("-created")
    return [_record(row) for row in rows]


def iter_enrolments(chunk: int = 2000) -> Iterator[EnrollmentRecord]:
    """Every enrolment, oldest first, streamed (for rebuilding the dashboards' counts)."""
    rows = Enrollment.objects.select_related("offering", "via_package").order_by("pk")
    return (_record(row) for row in rows.iterator(chunk_size=chunk))


def _progress_for(user_id: int, iris: list[str]) -> dict[str, dict]:
    """Progress per offering from ``lms.progress`` (0% and no resume link when it is not installed)."""
    try:
        from lms.progress.api import progress_for
    except ImportError:
        return {}
    return progress_for(user_id, iris)


def learning_items(user) -> list[LearningItem]:
    """"My learning": the learner's enrolments with progress and where to continue, in three queries."""
    rows = list(Enrollment.objects.filter(user=user).select_related("offering", "via_package").order_by("-created"))
    progress = _progress_for(user.pk, [row.offering.iri for row in rows])
    items = []
    for row in rows:
        found = progress.get(row.offering.iri) or {}
        percent = max(0, min(100, int(found.get("percent") or 0)))
        items.append(LearningItem(
            offering_iri=row.offering.iri, kind=row.offering.kind, title=row.offering.title, url=row.offering.url,
            percent=percent, continue_url=found.get("last_activity_url") or row.offering.url,
            enrolled_at=row.created, via_package_title=row.via_package.title if row.via_package else "",
            withdrawn=not row.offering.is_published or row.status != Enrollment.Status.ACTIVE,
        ))
    return items


def offerings_for_cohorts(user) -> list[Offering]:
    """The published offerings an institution admin may enrol cohorts in: their institution's."""
    scope = accounts.scope_for(user)
    if not scope.is_institution_admin:
        return []
    return list(Offering.objects.filter(institution_id=scope.institution_id, is_published=True).order_by("title"))


class CohortRejected(ValueError):
    """The cohort file was refused as a whole; ``errors`` are ``(row, message)`` pairs."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__("; ".join(f"{row}: {message}" for row, message in errors[:20]))
        self.errors = errors


def cohort_enrol(*, by, iri: str, identifiers: list[tuple[int, str]]) -> CohortResult:
    """An institution admin enrols learners (``(row number, username or mobile)`` pairs) in one of their
    institution's offerings: all of them, or — if any row names nobody or the places run out — none."""
    from django.core.exceptions import PermissionDenied

    scope = accounts.scope_for(by)
    offering = Offering.objects.filter(iri=iri).first()
    if not scope.is_institution_admin or offering is None or offering.institution_id != scope.institution_id:
        raise PermissionDenied(_("You may enrol cohorts only in your own institution's courses and packages."))
    if not identifiers:
        raise CohortRejected([(0, _("The file names no learners."))])
    users = accounts.users_by_identifier([value for _row, value in identifiers])
    errors = [(row, _("No learner has the username or mobile number “%(value)s”.") % {"value": value})
              for row, value in identifiers if value not in users]
    if errors:
        raise CohortRejected(errors)
    enrolled = already = 0
    with transaction.atomic():
        offering = _check_available(Offering.objects.select_for_update().get(pk=offering.pk), self_service=False)
        statements, now, seen = [], timezone.now(), set()
        for row, value in identifiers:
            user = users[value]
            if user.pk in seen:
                continue
            seen.add(user.pk)
            try:
                added = _enrol_locked(user, offering, source=Enrollment.Source.COHORT, by=by)
            except AlreadyEnrolled:
                already += 1
                continue
            except EnrolmentRefused as refused:
                raise CohortRejected([(row, str(refused))])
            enrolled += 1
            statements += [_registered_statement(user, e.offering, now) for e in added]
        _record_statements(statements)
    return CohortResult(enrolled=enrolled, already_enrolled=already)

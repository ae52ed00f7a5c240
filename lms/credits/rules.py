"""Validating rules, and finding the rule in force for a piece of learning.

Validation answers in the officer's words: which field is wrong, which other rule it contradicts and
how to fix it. Lookups take the day the learning was completed, so a rule changed later never
rewrites credit already in the ledger (the ledger is append-only anyway).
"""
from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from .models.rules import LEVEL_ORDER, CertificateCreditRule, CourseCreditRule, ExemptionRule, MutualRecognitionRule


def _in_force(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def _overlapping(rule) -> Q:
    """Rules whose validity overlaps ``rule``'s (open ends run forever)."""
    q = Q(valid_until__isnull=True) | Q(valid_until__gte=rule.valid_from)
    if rule.valid_until:
        q &= Q(valid_from__lte=rule.valid_until)
    return q


def _others(rule):
    qs = type(rule).objects.filter(_overlapping(rule))
    return qs.exclude(pk=rule.pk) if rule.pk else qs


def _period(rule) -> str:
    end = rule.valid_until.isoformat() if rule.valid_until else _("open-ended")
    return f"{rule.valid_from.isoformat()} – {end}"


def validate_rule(rule) -> None:
    """Raise ``ValidationError`` naming the field and the conflicting rule; called by ``Model.clean``."""
    if rule.valid_from is None:
        return  # the field's own "required" error is shown
    if rule.valid_until and rule.valid_until < rule.valid_from:
        raise ValidationError({"valid_until": _("The end date must not be before the start date.")})
    for field in ("credits", "ratio"):
        value = getattr(rule, field, None)
        if value is not None and value < 0:
            raise ValidationError({field: _("Credit cannot be negative.")})
    check = {
        CourseCreditRule: _check_course_rule,
        CertificateCreditRule: _check_certificate_rule,
        MutualRecognitionRule: _check_recognition_rule,
        ExemptionRule: _check_exemption_rule,
    }[type(rule)]
    check(rule)


def _check_course_rule(rule: CourseCreditRule) -> None:
    clash = _others(rule).filter(institution_id=rule.institution_id, course_code=rule.course_code).first()
    if clash:
        raise ValidationError(_(
            "Another course credit rule already covers the same courses from %(period)s (“%(other)s”). "
            "Give this rule dates that do not overlap, or end the other rule first."
        ) % {"period": _period(clash), "other": clash})


def _check_certificate_rule(rule: CertificateCreditRule) -> None:
    clash = _others(rule).filter(kind=rule.kind, code=rule.code).first()
    if clash:
        raise ValidationError({"code": _(
            "“%(code)s” already earns %(credits)s credits under another rule valid %(period)s. "
            "Change that rule, or give this one dates that do not overlap."
        ) % {"code": rule.code, "credits": clash.credits, "period": _period(clash)}})
    level_clash = ExemptionRule.objects.filter(certificate_code=rule.code).exclude(level=rule.level).first()
    if rule.kind == CertificateCreditRule.Kind.CERTIFICATE and level_clash:
        raise ValidationError({"level": _(
            "Certificate “%(code)s” is level “%(other)s” in an exemption rule; a certificate has one level."
        ) % {"code": rule.code, "other": level_clash.get_level_display()}})
    if not rule.skill_field or rule.credits is None:
        return
    mine = LEVEL_ORDER[rule.level]
    for other in _others(rule).filter(kind=rule.kind, skill_field=rule.skill_field).exclude(level=rule.level):
        theirs = LEVEL_ORDER[other.level]
        if (theirs < mine and other.credits > rule.credits) or (theirs > mine and other.credits < rule.credits):
            raise ValidationError({"credits": _(
                "In “%(field)s”, level “%(other_level)s” earns %(other_credits)s credits under “%(other)s”: "
                "a higher level must not earn fewer credits than a lower one."
            ) % {"field": rule.skill_field, "other_level": other.get_level_display(),
                 "other_credits": other.credits, "other": other.code}})


def _check_recognition_rule(rule: MutualRecognitionRule) -> None:
    if rule.from_institution_id and rule.from_institution_id == rule.to_institution_id:
        raise ValidationError({"to_institution": _(
            "Mutual recognition is between two different institutions; choose another institution."
        )})
    clash = _others(rule).filter(
        from_institution_id=rule.from_institution_id, from_course_code=rule.from_course_code,
        to_institution_id=rule.to_institution_id,
    ).first()
    if clash:
        raise ValidationError({"to_course_code": _(
            "Course %(code)s already counts as course %(other)s at that institution (rule valid %(period)s). "
            "One course can be recognised as only one course at the same institution at a time."
        ) % {"code": rule.from_course_code, "other": clash.to_course_code, "period": _period(clash)}})
    start = (rule.to_institution_id, rule.to_course_code)
    goal = (rule.from_institution_id, rule.from_course_code)
    edges: dict[tuple, list[tuple]] = {}
    for other in _others(rule):
        edges.setdefault((other.from_institution_id, other.from_course_code), []).append(
            (other.to_institution_id, other.to_course_code)
        )
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            raise ValidationError(_(
                "This rule would make a cycle: course %(to)s already leads back to course %(from)s through "
                "other recognition rules. Recognition must run one way; remove one of the rules."
            ) % {"to": rule.to_course_code, "from": rule.from_course_code})
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, []))


def _check_exemption_rule(rule: ExemptionRule) -> None:
    if not rule.unit_list:
        raise ValidationError({"units": _("Name at least one exempted unit, one per line.")})
    clash = _others(rule).filter(
        certificate_code=rule.certificate_code, institution_id=rule.institution_id, course_code=rule.course_code
    ).first()
    if clash:
        raise ValidationError(_(
            "Certificate %(cert)s already exempts units of course %(course)s under another rule valid %(period)s. "
            "Edit that rule instead, or give this one dates that do not overlap."
        ) % {"cert": rule.certificate_code, "course": rule.course_code, "period": _period(clash)})
    other_levels = ExemptionRule.objects.filter(certificate_code=rule.certificate_code).exclude(level=rule.level)
    other_levels = other_levels.exclude(pk=rule.pk) if rule.pk else other_levels
    credit_rule = CertificateCreditRule.objects.filter(
        kind=CertificateCreditRule.Kind.CERTIFICATE, code=rule.certificate_code
    ).exclude(level=rule.level).first()
    other = other_levels.first() or credit_rule
    if other:
        raise ValidationError({"level": _(
            "Certificate “%(code)s” is level “%(other)s” in another rule; a certificate has one level."
        ) % {"code": rule.certificate_code, "other": other.get_level_display()}})


# --- lookups -------------------------------------------------------------------------------------------

class RuleBook:
    """Every course, package and recognition rule, loaded once, for crediting in bulk (a rebuild).
    Rule tables hold hundreds of rows, not millions; lookups then cost no queries."""

    def __init__(self):
        self.course = list(CourseCreditRule.objects.all())
        self.package = list(CertificateCreditRule.objects.filter(kind=CertificateCreditRule.Kind.PACKAGE))
        self.recognition = list(MutualRecognitionRule.objects.select_related("to_institution"))


def _valid_on(rule, on: date) -> bool:
    return rule.valid_from <= on and (rule.valid_until is None or rule.valid_until >= on)


def course_credits(*, institution_id, course_code: str, declared: Decimal, class_hours: int,
                   on: date, book: RuleBook | None = None) -> tuple[Decimal, str]:
    """Credits for a completed course and a note of the rule used (kept as evidence).

    The most specific rule in force wins: this course, then its institution, then the province.
    Without any rule: the declared credits, or class hours at the default hours per credit.
    Hours convert in half credits, rounded down (18 hours at 16 h/credit make 1.0, 24 make 1.5).
    """
    if book is None:
        candidates = CourseCreditRule.objects.filter(_in_force(on)).filter(
            Q(course_code=course_code) | Q(course_code=""),
            Q(institution_id=institution_id) | Q(institution__isnull=True),
        )
    else:
        candidates = [r for r in book.course if _valid_on(r, on) and r.course_code in (course_code, "")
                      and r.institution_id in (institution_id, None)]
    ranked = sorted(candidates, key=lambda r: (r.course_code != "", r.institution_id is not None), reverse=True)
    rule = ranked[0] if ranked else None
    default_hours = getattr(settings, "CREDITS_DEFAULT_HOURS_PER_CREDIT", 16)
    hours_per_credit = rule.hours_per_credit if rule else default_hours
    by_hours = rule.basis == CourseCreditRule.Basis.HOURS if rule else not declared
    if by_hours:
        value = Decimal(math.floor(class_hours * 2 / hours_per_credit)) / 2
        note = f"hours:{class_hours}/{hours_per_credit}"
    else:
        value, note = Decimal(declared or 0), "declared"
    return value.quantize(Decimal("0.01")), f"{note};rule:{rule.pk if rule else 'default'}"


def package_credits(*, code: str, declared: Decimal, on: date, book: RuleBook | None = None) -> tuple[Decimal, str]:
    if book is None:
        rule = CertificateCreditRule.objects.filter(_in_force(on), kind="package", code=code).first()
    else:
        rule = next((r for r in book.package if r.code == code and _valid_on(r, on)), None)
    if rule:
        return rule.credits.quantize(Decimal("0.01")), f"package-rule:{rule.pk}"
    return Decimal(declared or 0).quantize(Decimal("0.01")), "declared;rule:default"


def certificate_rule(*, code: str, on: date) -> CertificateCreditRule | None:
    return CertificateCreditRule.objects.filter(_in_force(on), kind="certificate", code=code).first()


def recognitions(*, institution_id, course_code: str, on: date,
                 book: RuleBook | None = None) -> list[MutualRecognitionRule]:
    if book is not None:
        return [r for r in book.recognition if r.from_institution_id == institution_id
                and r.from_course_code == course_code and _valid_on(r, on)]
    return list(MutualRecognitionRule.objects.filter(
        _in_force(on), from_institution_id=institution_id, from_course_code=course_code
    ).select_related("to_institution"))


def exemptions(*, certificate_code: str, on: date) -> list[ExemptionRule]:
    return list(ExemptionRule.objects.filter(_in_force(on), certificate_code=certificate_code))

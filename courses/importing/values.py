"""Cell parsers: each turns one spreadsheet cell into a typed value or raises ``BadValue`` with a
message a person can act on. Lenient about what spreadsheets produce (Chinese labels, 是/否, several
date formats, full-width separators), strict about what is stored."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _


class BadValue(ValueError):
    pass


_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")
_TRUE = {"1", "y", "yes", "true", "t", "是", "√", "✓", "精品", "x"}
_FALSE = {"", "0", "n", "no", "false", "f", "否", "×"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def text(value, *, label: str, max_length: int, required: bool = False) -> str:
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise BadValue(_("%(column)s is required") % {"column": label})
    if len(value) > max_length:
        raise BadValue(_("%(column)s is %(length)d characters long; at most %(max)d are allowed") % {
            "column": label, "length": len(value), "max": max_length})
    return value


def decimal(value, *, label: str, max_value: Decimal, places: int = 1) -> Decimal:
    if value in ("", None):
        return Decimal(0)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise BadValue(_("%(column)s must be a number, not “%(value)s”") % {"column": label, "value": value})
    if not number.is_finite() or number < 0 or number > max_value:
        raise BadValue(_("%(column)s must be between 0 and %(max)s") % {"column": label, "max": max_value})
    quantum = Decimal(1).scaleb(-places)
    if number.quantize(quantum) != number:
        raise BadValue(_("%(column)s may have at most %(places)d decimal place(s)") % {
            "column": label, "places": places})
    return number.quantize(quantum)


def integer(value, *, label: str, minimum: int = 0, maximum: int = 100_000, required: bool = False) -> int | None:
    if value in ("", None):
        if required:
            raise BadValue(_("%(column)s is required") % {"column": label})
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise BadValue(_("%(column)s must be a whole number, not “%(value)s”") % {"column": label, "value": value})
    try:
        number = int(str(value).strip())
    except ValueError:
        raise BadValue(_("%(column)s must be a whole number, not “%(value)s”") % {"column": label, "value": value})
    if not minimum <= number <= maximum:
        raise BadValue(_("%(column)s must be between %(min)d and %(max)d") % {
            "column": label, "min": minimum, "max": maximum})
    return number


def boolean(value, *, label: str) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadValue(_("%(column)s must be yes or no (是/否), not “%(value)s”") % {"column": label, "value": value})


def date(value, *, label: str) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise BadValue(_("%(column)s must be a date like 2025-09-01, not “%(value)s”") % {"column": label, "value": raw})


def split_list(value) -> list[str]:
    """Codes or names separated by commas, 、, semicolons or new lines (ASCII or full-width)."""
    if value in ("", None):
        return []
    return [part.strip() for part in _LIST_SEPARATORS.split(str(value)) if part.strip()]


def choice(value, *, label: str, choices, required: bool = False) -> str:
    """A TextChoices member by its code, its label in either language, or the Chinese in its label's
    parentheses (so 高职 finds "Higher vocational (高职)")."""
    raw = str(value or "").strip()
    if not raw:
        if required:
            raise BadValue(_("%(column)s is required") % {"column": label})
        return ""
    found = _choice_aliases(choices).get(raw.casefold())
    if found is None:
        allowed = "、".join(str(c) for c in choices.values)
        raise BadValue(_("%(column)s “%(value)s” is unknown; use one of %(allowed)s") % {
            "column": label, "value": raw, "allowed": allowed})
    return found


def _choice_aliases(choices) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for code, lazy_label in choices.choices:
        names = {code}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(lazy_label))
        for name in list(names):
            names.update(re.findall(r"[（(]([^()（）]+)[)）]", name))
        for name in names:
            aliases.setdefault(name.strip().casefold(), code)
    return aliases


class Lookup:
    """Rows of a small table (taxonomies, institutions) found by code or by name, loaded in one query."""

    def __init__(self, queryset: QuerySet, *, keys: tuple[str, ...] = ("code", "name"), what: str):
        self.what = what
        self._by_key: dict[str, Model] = {}
        self._ambiguous: set[str] = set()
        for obj in queryset:
            for key in keys:
                name = str(getattr(obj, key) or "").strip().casefold()
                if not name:
                    continue
                if name in self._by_key and self._by_key[name].pk != obj.pk:
                    self._ambiguous.add(name)
                self._by_key.setdefault(name, obj)

    def one(self, value, *, label: str, required: bool = False) -> Model | None:
        raw = str(value or "").strip()
        if not raw:
            if required:
                raise BadValue(_("%(column)s is required") % {"column": label})
            return None
        key = raw.casefold()
        if key in self._ambiguous:
            raise BadValue(_("%(column)s “%(value)s” matches more than one %(what)s; use its code") % {
                "column": label, "value": raw, "what": self.what})
        try:
            return self._by_key[key]
        except KeyError:
            raise BadValue(_("unknown %(what)s “%(value)s” in %(column)s") % {
                "what": self.what, "value": raw, "column": label})

    def many(self, value, *, label: str) -> list[Model]:
        found, unknown = [], []
        for part in split_list(value):
            try:
                obj = self.one(part, label=label)
            except BadValue:
                unknown.append(part)
                continue
            if obj not in found:
                found.append(obj)
        if unknown:
            raise BadValue(_("unknown %(what)s in %(column)s: %(values)s") % {
                "what": self.what, "column": label, "values": "、".join(unknown)})
        return found

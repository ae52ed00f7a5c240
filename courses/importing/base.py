"""The import flow shared by every kind of row: read, validate every row, plan, then apply in one
transaction — or nothing at all when any row is bad (unless the caller chose to skip bad rows).

A kind (courses, resources) is a ``RowKind``: its columns with their aliases, how to load what rows
refer to (in a fixed number of queries, whatever the file size), how to parse one row, how to tell
whether a row changes anything, and how to write one row.
"""
from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from .reading import Row, UnreadableFile, read_table
from .report import ImportReport, RowProblem
from .values import BadValue


@dataclass
class Column:
    name: str
    label: str  # shown in messages, in the person's language
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class Parsed:
    """One valid row: its code, the fields it sets (only columns present in the file) and its plan."""

    line: int
    code: str
    values: dict[str, Any]
    existing: Any = None
    action: str = ""  # "create" | "update" | "unchanged"
    extra: dict[str, Any] = field(default_factory=dict)


class RowReader:
    """Reads one row's cells, collecting every bad cell rather than stopping at the first."""

    def __init__(self, row: Row, columns: dict[str, Column], present: set[str]):
        self.row = row
        self.columns = columns
        self.present = present
        self.errors: list[str] = []

    def has(self, name: str) -> bool:
        return name in self.present

    def raw(self, name: str):
        return self.row.values.get(name, "")

    def get(self, name: str, parse, **kwargs):
        """``parse(raw, label=..., **kwargs)``; None (and an error noted) when the cell is bad."""
        try:
            return parse(self.raw(name), label=self.columns[name].label, **kwargs)
        except BadValue as exc:
            self.errors.append(str(exc))
            return None

    def fail(self, message: str) -> None:
        self.errors.append(message)


class RowKind(ABC):
    kind = ""
    columns: list[Column] = []

    @abstractmethod
    def load(self, rows: list[Row]) -> None:
        """Load everything the rows refer to, in a fixed number of queries."""

    @abstractmethod
    def parse(self, reader: RowReader) -> Parsed | None:
        """Turn a row into a ``Parsed``; bad cells go to ``reader.errors``."""

    @abstractmethod
    def plan(self, parsed: Parsed) -> None:
        """Set ``parsed.existing`` and ``parsed.action``; raise ``BadValue`` if the row cannot apply."""

    @abstractmethod
    def apply(self, parsed: Parsed) -> None:
        """Write one planned row (inside the import's transaction)."""


def _canonical_headers(headers: list[str], columns: list[Column]) -> tuple[dict[str, str], list[str]]:
    """Map each header in the file to a column name; unknown headers are reported, not fatal."""
    lookup: dict[str, str] = {}
    for column in columns:
        for alias in (column.name, column.label, *column.aliases):
            lookup[alias.strip().casefold()] = column.name
    mapping, ignored, seen = {}, [], {}
    for header in headers:
        if not header:
            continue
        name = lookup.get(header.casefold().replace(" ", "_")) or lookup.get(header.casefold())
        if name is None:
            ignored.append(header)
            continue
        if name in seen:
            raise UnreadableFile(_("Columns “%(a)s” and “%(b)s” are the same column (%(name)s); keep one.") % {
                "a": seen[name], "b": header, "name": name})
        seen[name] = header
        mapping[header] = name
    return mapping, ignored


def run_import(
    path: str | Path, row_kind: RowKind, *, skip_bad_rows: bool = False, dry_run: bool = False,
    progress: bool = False,
) -> ImportReport:
    table = read_table(path)
    report = ImportReport(kind=row_kind.kind, source=str(path), encoding=table.encoding,
                          dry_run=dry_run, skip_bad_rows=skip_bad_rows, rows=len(table.rows))
    mapping, report.ignored_columns = _canonical_headers(table.headers, row_kind.columns)
    present = set(mapping.values())
    missing = [c.label for c in row_kind.columns if c.required and c.name not in present]
    if missing:
        raise UnreadableFile(_("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)})
    rows = [Row(line=r.line, values={mapping[h]: v for h, v in r.values.items() if h in mapping})
            for r in table.rows]
    columns = {c.name: c for c in row_kind.columns}
    row_kind.load(rows)

    planned: list[Parsed] = []
    first_line: dict[str, int] = {}
    for row in rows:
        reader = RowReader(row, columns, present)
        parsed = row_kind.parse(reader)
        code = str(row.values.get("code", "")).strip()
        if code and code.casefold() in first_line:
            reader.fail(_("code %(code)s already appears in row %(line)d") % {
                "code": code, "line": first_line[code.casefold()]})
        elif code:
            first_line[code.casefold()] = row.line
        if parsed is not None and not reader.errors:
            try:
                row_kind.plan(parsed)
            except BadValue as exc:
                reader.fail(str(exc))
        if reader.errors or parsed is None:
            report.problems.append(RowProblem(line=row.line, code=code, message="; ".join(reader.errors)))
            continue
        planned.append(parsed)

    for parsed in planned:
        {"create": report.created, "update": report.updated, "unchanged": report.unchanged}[parsed.action].append(
            parsed.code)
    if (report.problems and not skip_bad_rows) or dry_run:
        return report

    changes = [p for p in planned if p.action != "unchanged"]
    with transaction.atomic():
        for parsed in tqdm(changes, desc=row_kind.kind, unit="row", file=sys.stderr,
                           disable=not progress or not changes):
            row_kind.apply(parsed)
    report.applied = True
    return report

"""Bulk catalogue import from XLSX or CSV: courses and library resources, idempotent by code.

    report = import_catalogue("courses.xlsx", kind="courses")

Every row is validated before anything is written; a file with any bad row imports nothing unless
``skip_bad_rows`` is set, and the whole import is one transaction. Rows that would change nothing are
left alone; changed rows get a new page revision (see ``pages``). The report lists each bad row by
the spreadsheet row number a person sees, with the reason.
"""
from __future__ import annotations

from pathlib import Path

from .base import run_import
from .courses import CourseRows
from .reading import UnreadableFile
from .report import ImportReport, RowProblem
from .resources import ResourceRows

__all__ = ["KINDS", "ImportReport", "RowProblem", "UnreadableFile", "import_catalogue"]

KINDS = ("courses", "resources")


def import_catalogue(
    path: str | Path, *, kind: str = "courses", skip_bad_rows: bool = False, dry_run: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Import ``path``; raises ``UnreadableFile`` when the file itself (type, encoding, columns) is
    wrong, otherwise returns what was (or, on a dry run or a refused file, would be) done."""
    path = Path(path)
    if kind == "courses":
        row_kind = CourseRows()
    elif kind == "resources":
        row_kind = ResourceRows(base_dir=path.resolve().parent)
    else:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    return run_import(path, row_kind, skip_bad_rows=skip_bad_rows, dry_run=dry_run, progress=progress)

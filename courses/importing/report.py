"""What an import did, or would do: the shape the command prints and the tests assert."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowProblem:
    line: int  # the spreadsheet row number a person sees; the header is row 1
    code: str
    message: str

    def __str__(self) -> str:
        return f"row {self.line}" + (f" ({self.code})" if self.code else "") + f": {self.message}"


@dataclass
class ImportReport:
    kind: str
    source: str
    encoding: str = ""
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    skip_bad_rows: bool = False
    applied: bool = False  # True once the changes are committed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def skipped(self) -> int:
        return len(self.problems)

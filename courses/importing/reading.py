"""Reading a spreadsheet into numbered rows: XLSX, or CSV in UTF-8 (with or without BOM) or GB18030.

Excel in China saves CSV as GBK (GB18030 is its superset), newer Excel offers "CSV UTF-8" with a BOM;
both are accepted. Anything else (old .xls, UTF-16 "Unicode text", binary files) is refused with a
message that says how to save the file instead, never read as garbage.

Each row carries the row number a person sees in the spreadsheet (the header is row 1), so every
error message can point at it. Completely blank rows are skipped but keep their numbers.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # OLE2: Excel 97-2003 .xls


class UnreadableFile(ValueError):
    """The file cannot be read as a catalogue spreadsheet; the message says why and what to do."""


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, object]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]
    encoding: str  # "xlsx", "utf-8", "utf-8-sig" or "gb18030"


def read_table(path: str | Path) -> Table:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(_("File not found: %(path)s") % {"path": path})
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile(_("The file %(name)s is empty.") % {"name": path.name})
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(_("The file is %(size)d MB; the limit is %(limit)d MB. Split it into smaller files.") % {
            "size": size // (1024 * 1024), "limit": MAX_FILE_BYTES // (1024 * 1024)})
    suffix = path.suffix.lower()
    with path.open("rb") as stream:
        head = stream.read(4)
    if suffix == ".xls" or head == _XLS_MAGIC:
        raise UnreadableFile(_("Old Excel files (.xls) are not supported: save it as .xlsx or as CSV."))
    if suffix == ".xlsx":
        if head != _XLSX_MAGIC:
            raise UnreadableFile(_("%(name)s is not a valid .xlsx workbook.") % {"name": path.name})
        return _read_xlsx(path)
    if suffix == ".csv":
        if head == _XLSX_MAGIC:
            raise UnreadableFile(_("%(name)s is an Excel workbook, not CSV: rename it to .xlsx.") % {"name": path.name})
        return _read_csv(path.read_bytes())
    raise UnreadableFile(_("Unsupported file type %(suffix)s: use .xlsx or .csv.") % {"suffix": suffix or "?"})


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(_("The CSV is UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" instead."))
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UnreadableFile(_("The CSV starts with a UTF-8 mark but is not valid UTF-8 (byte %(pos)d).") % {
                "pos": exc.start})
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_("This does not look like a text CSV file (it contains binary data)."))
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The CSV is neither UTF-8 nor GB18030 (GBK): save it as \"CSV UTF-8\"."))


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise UnreadableFile(_("The CSV is malformed near row %(line)d: %(error)s") % {
            "line": reader.line_num, "error": exc})
    return _table(records, encoding)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(_("%(name)s is not a readable .xlsx workbook (%(error)s).") % {
            "name": path.name, "error": exc})
    try:
        sheet = workbook.worksheets[0]
        records = []
        for values in sheet.iter_rows(values_only=True):
            records.append(list(values))
            if len(records) > MAX_ROWS + 1:
                break
    finally:
        workbook.close()
    return _table(records, "xlsx")


def _table(records: list[list], encoding: str) -> Table:
    if not records or not any(_cell(v) for v in records[0]):
        raise UnreadableFile(_("The first row must hold the column names; it is empty."))
    if len(records) > MAX_ROWS + 1:
        raise UnreadableFile(_("More than %(max)d rows: split the file.") % {"max": MAX_ROWS})
    headers = [str(_cell(v)).strip() for v in records[0]]
    rows = []
    for line, record in enumerate(records[1:], start=2):
        values = {headers[i]: _cell(v) for i, v in enumerate(record) if i < len(headers) and headers[i]}
        if any(v not in ("", None) for v in values.values()):
            rows.append(Row(line=line, values=values))
    return Table(headers=headers, rows=rows, encoding=encoding)


def _cell(value):
    """Normalise a cell: strings stripped, whole floats as integers, dates kept as dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value

"""Reading a cohort file: usernames or mobile numbers, one per row, as CSV (UTF-8 or GBK) or XLSX.

The first column is read; a first row that says "username"/"用户名"/"mobile"/"手机号" is a header.
Bounded in size and rows; anything else is refused with a message saying what to upload instead.
"""
from __future__ import annotations

import csv
import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
HEADERS = {"username", "用户名", "mobile", "手机号", "手机", "账号", "username or mobile", "用户名或手机号"}


class CohortFileError(ValueError):
    pass


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _rows_of(upload, data: bytes):
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise CohortFileError(_("This is not a readable .xlsx file."))
        return [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    if name.endswith(".csv") or name.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise CohortFileError(_("The CSV file is neither UTF-8 nor GBK text."))
        if "\x00" in text:
            raise CohortFileError(_("The CSV file is not plain text."))
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise CohortFileError(_("Upload a .csv or .xlsx file."))


def read_identifiers(upload) -> list[tuple[int, str]]:
    """``(row number, identifier)`` for each non-empty row; row numbers as the spreadsheet shows them."""
    if upload.size > MAX_BYTES:
        raise CohortFileError(_("The file is larger than 1 MB."))
    rows = _rows_of(upload, upload.read())
    found = []
    for number, row in enumerate(rows, start=1):
        value = row[0] if row else ""
        if not value or (number == 1 and value.lower() in HEADERS):
            continue
        if len(value) > 150:
            raise CohortFileError(_("Row %(row)d is not a username or mobile number.") % {"row": number})
        found.append((number, value))
        if len(found) > MAX_ROWS:
            raise CohortFileError(_("At most %(n)d learners per file.") % {"n": MAX_ROWS})
    if not found:
        raise CohortFileError(_("The file names no learners."))
    return found

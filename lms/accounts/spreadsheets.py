"""The bulk-learner XLSX: the downloadable template and reading an uploaded file into ``LearnerRow``s.

Reading is defensive: only real XLSX (a zip with a workbook) is accepted, the size and row count are
bounded, and every cell is read as text so that mobile numbers and codes keep their digits.
"""
from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from lms.institutions.api import Region

from .data import LearnerRow
from .models import LearnerType

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# (field, header shown in the template, other headers accepted)
COLUMNS = [
    ("username", "用户名 username", ("用户名", "username", "账号")),
    ("mobile", "手机号 mobile", ("手机号", "手机", "mobile")),
    ("real_name", "姓名 real name", ("姓名", "real name", "real_name", "name")),
    ("learner_type", "学员类型 learner type", ("学员类型", "learner type", "learner_type", "type")),
    ("region_code", "地区代码 region code", ("地区代码", "region code", "region_code", "region")),
    ("password", "初始密码 password", ("初始密码", "密码", "password")),
]


class SpreadsheetError(ValueError):
    """The upload is not a readable learner spreadsheet at all (before any row is looked at)."""


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "learners"
    sheet.append([header for _field, header, _aliases in COLUMNS])
    sheet.append(["", "13800000000", "张三", "农民", "620100", "Gansu-2026-abc"])
    for column in "ABCDEF":
        sheet.column_dimensions[column].width = 22
        for cell in sheet[column]:
            cell.number_format = "@"  # text, so Excel keeps leading zeros and long digit strings
    help_sheet = book.create_sheet("codes")
    help_sheet.append(["学员类型 learner type", "", "地区代码 region code", "地区 region"])
    types = [f"{choice.value} / {choice.label}" for choice in LearnerType]
    regions = list(Region.objects.filter(level__in=["city", "county"]).order_by("code").values_list("code", "name"))
    for i in range(max(len(types), len(regions))):
        help_sheet.append([types[i] if i < len(types) else "", "",
                           *(regions[i] if i < len(regions) else ("", ""))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a mobile number typed into a number cell
    return str(value).strip()


def read_learner_rows(upload) -> list[LearnerRow]:
    """Rows of an uploaded XLSX, numbered as the spreadsheet shows them (the header is row 1)."""
    if upload.size > MAX_BYTES:
        raise SpreadsheetError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    data = upload.read()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SpreadsheetError(_("This is not an Excel .xlsx file. Download the template and fill it in."))
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell).lower() for cell in next(rows, ())]
    positions = {}
    for field, _shown, aliases in COLUMNS:
        wanted = {alias.lower() for alias in aliases}
        for index, title in enumerate(header):
            # "用户名 username": either half, or the whole title, names the column (never a substring).
            if title and wanted & {title, title.split(" ", 1)[0], title.split(" ", 1)[-1]}:
                positions[field] = index
                break
    missing = [shown for field, shown, _aliases in COLUMNS if field not in positions and field != "username"]
    if missing:
        raise SpreadsheetError(_("The first row must name the columns; missing: %(columns)s.") % {
            "columns": ", ".join(missing)})
    found = []
    for number, values in enumerate(rows, start=2):
        if len(found) >= MAX_ROWS:
            raise SpreadsheetError(_("At most %(n)d learners per file.") % {"n": MAX_ROWS})
        cells = {field: _text(values[index]) if index < len(values) else "" for field, index in positions.items()}
        if not any(cells.values()):
            continue  # blank lines are common at the end of a sheet
        found.append(LearnerRow(row=number, **{field: cells.get(field, "") for field, *_rest in COLUMNS}))
    return found

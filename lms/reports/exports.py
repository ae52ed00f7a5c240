"""CSV and XLSX of a dashboard's tables, built from the same rows and columns the page shows."""
from __future__ import annotations

import csv
import io
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook

from .queries import Dashboard


def breakdown_table(dashboard: Dashboard) -> tuple[list[str], list[list]]:
    headers = [str(label) for _, label in dashboard.columns]
    body = [[_cell(row.get(key)) for key, _ in dashboard.columns] for row in dashboard.rows]
    return headers, body


def trend_table(dashboard: Dashboard) -> tuple[list[str], list[list]]:
    from django.utils.translation import gettext as _

    headers = [_("Period"), _("Enrolments"), _("Active learners"), _("Completions"), _("Certificates"), _("Credits")]
    body = [[str(p["bucket"])[:10], p["enrolled"], p.get("active"), p["completed"], p["certified"], p["credits"]]
            for p in dashboard.trend]
    return headers, [[_cell(v) for v in row] for row in body]


def _cell(value) -> str:
    """How a value appears on screen, in CSV and (as text or number) in XLSX: one rule for all three."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    if hasattr(value, "as_tuple"):  # Decimal: exact, without trailing zeros
        return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    return str(value)


def _typed(cell: str):
    """XLSX cells hold numbers as numbers so officials can sum them; text stays text."""
    try:
        return int(cell)
    except ValueError:
        try:
            return float(cell)
        except ValueError:
            return cell


def respond(headers: list[str], body: list[list], *, filename: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel in China opens UTF-8 CSV correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(body)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        sheet = book.active
        sheet.append(headers)
        for row in body:
            sheet.append([_typed(str(cell)) for cell in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = f"{filename}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename=\"report.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return response

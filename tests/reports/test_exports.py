"""Exports hold exactly what the screen shows, with Chinese headers."""
import csv
import io

from openpyxl import load_workbook

from tests.reports.test_dashboard import DASHBOARD, _rows


def _number_or_text(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def test_csv_and_xlsx_match_the_screen(client, province, period):
    client.force_login(province["province"])
    params = {**period, "group_by": "city"}
    screen = _rows(client.get(DASHBOARD, params).content.decode(), "breakdown")
    exported = client.get(DASHBOARD + "breakdown.csv", params).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(exported)))
    assert csv_rows == screen
    assert csv_rows[0][0] == "城市" or csv_rows[0][0] == "City"
    book = load_workbook(io.BytesIO(client.get(DASHBOARD + "breakdown.xlsx", params).content))
    xlsx_rows = [[_number_or_text(v) for v in row] for row in book.active.iter_rows(values_only=True)]
    assert xlsx_rows == [[_number_or_text(v) for v in row] for row in screen]


def test_trend_export_matches_the_trend_table(client, province, period):
    client.force_login(province["province"])
    screen = _rows(client.get(DASHBOARD, period).content.decode(), "trend")
    exported = list(csv.reader(io.StringIO(client.get(DASHBOARD + "trend.csv", period).content.decode("utf-8-sig"))))
    assert exported == screen


def test_unknown_export_format_is_refused(client, province, period):
    client.force_login(province["province"])
    assert client.get(DASHBOARD + "breakdown.pdf", period).status_code == 400


def test_quality_report_export(client, province):
    client.force_login(province["province"])
    response = client.get(f"/admin/reports/quality/{province['ww_college'].pk}/2026.csv")
    assert response.status_code == 200
    rows = dict(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    values = list(rows.values())
    assert "甘肃畜牧工程职业技术学院" in values
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_targets_page_counts_published_quality_courses(client, province):
    client.force_login(province["province"])
    holdings = client.get("/admin/reports/targets/").context["holdings"]
    courses = next(h for h in holdings if h["target"].code == "online-courses")
    assert courses["held"] == 2 and courses["target"].target == 500

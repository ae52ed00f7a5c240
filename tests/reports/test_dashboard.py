"""Dashboards show the right numbers, drill down, and draw charts."""
from django.urls import reverse

DASHBOARD = "/admin/reports/dashboard/"


def _rows(html: str, table_id: str) -> list[list[str]]:
    from html.parser import HTMLParser

    class Table(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.rows, self.cell = False, [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table" and ("id", table_id) in attrs:
                self.inside = True
            elif self.inside and tag == "tr":
                self.rows.append([])
            elif self.inside and tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag == "table":
                self.inside = False
            elif self.inside and tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell.strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Table()
    parser.feed(html)
    return parser.rows


def test_province_sees_totals_funnel_and_city_breakdown(client, province, period):
    client.force_login(province["province"])
    response = client.get(DASHBOARD, {**period, "group_by": "city"})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.totals["enrolled"] == 4
    assert board.totals["completed"] == 2
    assert board.totals["active"] == 2
    assert board.totals["rate"] == 50.0
    assert [(str(label), n) for label, n in board.funnel][0][1] == 4
    rows = {row["label"]: row for row in board.rows}
    assert rows["兰州市"]["enrolled"] == 3 and rows["兰州市"]["active"] == 1
    assert rows["武威市"]["enrolled"] == 1
    html = response.content.decode()
    assert html.count("<svg") >= 3
    assert "group_by=county" in html  # each city drills down to its counties


def test_breakdowns_by_content_dimensions(client, province, period):
    client.force_login(province["province"])
    by_industry = client.get(DASHBOARD, {**period, "group_by": "industry"}).context["board"]
    assert {r["label"]: r["enrolled"] for r in by_industry.rows} == {"菜": 2, "牛": 2}
    by_program = client.get(DASHBOARD, {**period, "group_by": "program", "cluster": "hexi"}).context["board"]
    assert {r["label"]: r["completed"] for r in by_program.rows} == {"陇原巧手": 1}
    by_type = client.get(DASHBOARD, {**period, "group_by": "learner_type"}).context["board"]
    assert {str(r["label"]): r["enrolled"] for r in by_type.rows} == {"Farmer": 3, "Worker": 1} or \
        {str(r["label"]): r["enrolled"] for r in by_type.rows} == {"农民": 3, "在岗职工": 1}


def test_trend_buckets_by_period(client, province, period):
    client.force_login(province["province"])
    board = client.get(DASHBOARD, {**period, "period": "month"}).context["board"]
    assert len(board.trend) == 1 and board.trend[0]["enrolled"] == 4 and board.trend[0]["active"] == 2


def test_bad_parameters_get_a_clear_400(client, province):
    client.force_login(province["province"])
    response = client.get(DASHBOARD, {"start": "2026-13-01", "group_by": "nonsense", "period": "hour"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "start" in body and "group_by" in body and "period" in body


def test_dashboard_query_count_is_constant(client, province, period):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.reports import api as reports

    client.force_login(province["province"])
    params = {**period, "group_by": "course"}
    client.get(DASHBOARD, params)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as small:
        client.get(DASHBOARD, params)
    for n in range(40):
        reports.describe_content(iri=f"urn:c:more{n}", kind="course", title=f"c{n}", institution_id=None)
        reports.count_event(metric="enrolled", learner_id=province["learners"]["b"].pk, item_iri=f"urn:c:more{n}",
                            day=__import__("datetime").date(2026, 6, 1 + n % 28))
    with CaptureQueriesContext(connection) as large:
        board = client.get(DASHBOARD, params).context["board"]
    assert len(board.rows) == 42
    assert len(large) == len(small) <= 20


def test_menu_link_visible_to_officials_only(client, province):
    client.force_login(province["lanzhou_official"])
    assert reverse("reports_dashboard") in client.get("/admin/").content.decode()

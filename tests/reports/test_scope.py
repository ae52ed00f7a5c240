"""Nobody sees numbers outside their scope: not on screen, not in exports, not by editing the URL."""
import pytest

DASHBOARD = "/admin/reports/dashboard/"


def test_city_official_sees_only_their_city(client, province, period):
    client.force_login(province["lanzhou_official"])
    board = client.get(DASHBOARD, {**period, "group_by": "city"}).context["board"]
    assert [r["label"] for r in board.rows] == ["兰州市"]
    assert board.totals["enrolled"] == 3  # learners a and b live in Lanzhou; c lives in Wuwei


@pytest.mark.parametrize("tamper", [{"city": "620600"}, {"county": "620602"}])
def test_city_official_cannot_tamper_into_another_city(client, province, period, tamper):
    client.force_login(province["lanzhou_official"])
    assert client.get(DASHBOARD, {**period, **tamper}).status_code == 403
    assert client.get(DASHBOARD + "breakdown.csv", {**period, **tamper}).status_code == 403
    assert client.get(DASHBOARD + "trend.xlsx", {**period, **tamper}).status_code == 403


def test_institution_admin_sees_only_their_institutions_content(client, province, period):
    client.force_login(province["ww_admin"])
    board = client.get(DASHBOARD, {**period, "group_by": "course"}).context["board"]
    assert [r["label"] for r in board.rows] == ["urn:c:ww"]
    other = province["lz_college"].pk
    assert client.get(DASHBOARD, {**period, "institution": other}).status_code == 403
    csv = client.get(DASHBOARD + "breakdown.csv", {**period, "group_by": "course"}).content.decode("utf-8-sig")
    assert "urn:c:lz" not in csv and "urn:c:ww" in csv
    quality_other = f"/admin/reports/quality/{other}/2026.xlsx"
    assert client.get(quality_other).status_code == 404


def test_learners_and_anonymous_get_no_dashboard(client, province, period):
    learner = province["learners"]["a"]
    client.force_login(learner)
    assert client.get(DASHBOARD, period).status_code in (302, 403)
    client.logout()
    assert client.get(DASHBOARD, period).status_code == 302  # to the admin login

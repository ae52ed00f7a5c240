"""A small province for the dashboards: two cities, two institutions, learners of each kind."""
from datetime import date

import pytest

from lms.accounts import api as accounts
from lms.reports import api as reports
from tests import factories


@pytest.fixture
def province(db):
    lanzhou = factories.region(code="620100", name="兰州市", cluster="longzhong")
    chengguan = factories.region(code="620102", name="城关区", level="county", parent=lanzhou)
    wuwei = factories.region(code="620600", name="武威市", cluster="hexi")
    liangzhou = factories.region(code="620602", name="凉州区", level="county", parent=wuwei)
    lz_college = factories.institution(name="兰州石化职业技术大学", reg=lanzhou)
    ww_college = factories.institution(name="甘肃畜牧工程职业技术学院", reg=wuwei)
    for iri, inst, cluster, tags in [
        ("urn:c:lz", lz_college, "longzhong",
         [("industry", "vegetables", "菜"), ("program", "nongye", "农业职业经理人")]),
        ("urn:c:ww", ww_college, "hexi", [("industry", "cattle", "牛"), ("program", "qiaoshou", "陇原巧手")]),
    ]:
        reports.describe_content(iri=iri, kind="course", title=iri, institution_id=inst.pk, cluster=cluster,
                                 is_quality=True, tags=tags)
    learners = {}
    for name, county, kind in [("a", chengguan, "farmer"), ("b", chengguan, "worker"), ("c", liangzhou, "farmer")]:
        learners[name] = accounts.create_person(username=f"learner-{name}", password="pw-123456-x", real_name=name,
                                                region=county, learner_type=kind)
    day = date(2026, 5, 10)
    for learner, iri in [("a", "urn:c:lz"), ("b", "urn:c:lz"), ("c", "urn:c:ww"), ("a", "urn:c:ww")]:
        reports.count_event(metric="enrolled", learner_id=learners[learner].pk, item_iri=iri, day=day)
    reports.count_event(metric="completed", learner_id=learners["a"].pk, item_iri="urn:c:lz", day=day)
    reports.count_event(metric="certified", learner_id=learners["a"].pk, item_iri="urn:c:lz", day=day)
    reports.count_event(metric="credited", learner_id=learners["a"].pk, item_iri="urn:c:lz", day=day, amount=2)
    reports.count_event(metric="completed", learner_id=learners["c"].pk, item_iri="urn:c:ww", day=day)
    reports.record_active_learners({(learners["a"].pk, day), (learners["c"].pk, day), (learners["a"].pk, day)})

    def official(username, role, **kw):
        user = accounts.create_person(username=username, password="pw-123456-x", real_name=username, role=role, **kw)
        reports.grant_dashboard_access(user)
        return user

    return {
        "lanzhou": lanzhou, "wuwei": wuwei, "lz_college": lz_college, "ww_college": ww_college, "learners": learners,
        "province": official("prov", accounts.Role.PROVINCE_OFFICIAL),
        "lanzhou_official": official("lzgov", accounts.Role.CITY_OFFICIAL, region=lanzhou),
        "ww_admin": official("wwadmin", accounts.Role.INSTITUTION_ADMIN, institution=ww_college),
    }


@pytest.fixture
def period():
    return {"start": "2026-01-01", "end": "2026-12-31"}

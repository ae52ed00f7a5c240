"""Moving to the roll-ups keeps every count already made (migration 0003 carries DailyCount rows over)."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("reports", "0002_policy_targets_and_groups")
AFTER = ("reports", "0003_rollups_and_active_learner_sets")


@pytest.mark.django_db(transaction=True)
def test_daily_counts_are_carried_into_the_rollups():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old = executor.loader.project_state([BEFORE]).apps
        item = old.get_model("reports", "ContentItem").objects.create(iri="urn:c:old", kind="course", title="旧课程")
        daily = old.get_model("reports", "DailyCount")
        for n, (day, metric, county, count, amount) in enumerate([
            (date(2026, 3, 2), "enrolled", "620602", 3, 0), (date(2026, 3, 9), "enrolled", "620102", 2, 0),
            (date(2026, 4, 1), "credited", "620602", 1, Decimal("2.5")),
        ]):
            daily.objects.create(day=day, metric=metric, dimension_key=f"k{n}", item=item, city_code=county[:4] + "00",
                                 county_code=county, learner_type="farmer", count=count, amount=amount)
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        new = executor.loader.project_state([AFTER]).apps
        summary = new.get_model("reports", "SummaryCount").objects
        march = summary.get(grain="m", period=date(2026, 3, 1), metric="enrolled", grouping=0)
        assert march.count == 5
        by_county = dict(summary.filter(grain="m", metric="enrolled", grouping=1).values_list("county_code", "count"))
        assert by_county == {"620602": 3, "620102": 2}
        by_item = summary.get(grain="d", period=date(2026, 4, 1), metric="credited", grouping=4)
        assert (by_item.item_id, by_item.count, by_item.amount) == (item.pk, 1, Decimal("2.5"))
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

"""The demo reproduces the Guangxi table (2,262 households × 300 yuan × 4 quarters = 2,714,400 yuan) and a
second run writes nothing."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hardship.demo import seed
from hardship.models import Entitlement, Household, HouseholdStatus
from hardship.selectors.figures import fund_figures, quarterly_table, register_figures


def test_it_reproduces_the_guangxi_table_and_is_idempotent(db, django_user_model):
    from membership.demo import seed as seed_members
    from unionhub.demo import seed_core

    core = seed_core()
    seed_members(core)
    seed(core)
    root = django_user_model.objects.get(username="admin")
    table = quarterly_table(root, 2025, "季度慰问")
    assert [(q["households"], Decimal(q["total"])) for q in table["quarters"]] == [(2262, Decimal("678600"))] * 4
    assert table["total"] == Decimal("2714400.00")  # 271.44万
    layers = dict(register_figures(root, 2025)["by_layer"])
    assert sum(layers.values()) == 2262 and all(layers.values())
    assert {h.status for h in Household.objects.exclude(status=HouseholdStatus.ON_FILE)} >= {
        "applied",
        "visited",
        "reviewed",
        "notice",
        "rejected",
    }
    assert Entitlement.objects.filter(status="reissued").count() == 1
    assert all(row["reconciles"] for row in fund_figures(root))
    with CaptureQueriesContext(connection) as queries:
        seed(core)
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE") and "hardship_" in q["sql"]
    ]
    assert writes == []

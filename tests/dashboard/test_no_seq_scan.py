"""No page reads the whole member table: on PostgreSQL, with 30,000 members loaded and analysed, every SELECT
that the admin index (the workbench and the county table), the dashboard and the member list send - as county,
city and province staff - is EXPLAINed as the planner would run it, and no plan may hold a sequential scan of
the member table. (The old county table's active-member count did: a parallel seq scan of the register.)

The register is filled in one ``INSERT … SELECT`` from two seed members (30,000 rows in about a second) and
ANALYZEd so the planner sees its real size. The member list's count runs inside ``unionhub_bounded_count``,
which EXPLAINs its query before counting at most a bounded number of rows: its outer statement is checked
here, the bounded count itself reads through the list's index."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.services.snapshots import dashboard_refresh
from membership.models import Member
from tests.factories import QINSHUI, YANGCHENG, UserFactory
from tests.membership.factories import MemberFactory, union_in
from unionhub.models import Region
from unionhub.roles import Role

pytestmark = pytest.mark.postgres

MEMBERS = 30_000
BIG_TABLES = ("membership_member",)
PAGES = ("admin:index", "dashboard", "admin:membership_member_changelist")


def load_register() -> None:
    seeds = [MemberFactory(union=union_in(QINSHUI)), MemberFactory(union=union_in(YANGCHENG))]
    columns = [f.column for f in Member._meta.concrete_fields if f.column != "id"]
    chosen = {
        "name": "m.name || g::text",
        "resident_id": "lpad((s.n * 1000000 + g)::text, 18, '9')",
        "card_number": "m.county || lpad((s.n * 1000000 + g)::text, 14, '0')",
        "join_date": "m.join_date - mod(g, 3000)",
    }
    values = ", ".join(chosen.get(column, f"m.{column}") for column in columns)
    with connection.cursor() as cursor:
        for n, seed in enumerate(seeds, start=1):
            cursor.execute(
                f"INSERT INTO membership_member ({', '.join(columns)}) SELECT {values} "
                "FROM membership_member m, (SELECT %s AS n) s, generate_series(1, %s) g WHERE m.id = %s",
                [n, MEMBERS // 2, seed.pk],
            )
        # The tables the pages join too: statistics left from another test's few rows (a union table "of one
        # row") make the planner expect a handful of joined rows and sort them all after a scan.
        cursor.execute("ANALYZE membership_member, unionhub_unionorganization, unionhub_region")


def plans(statements: list[str]) -> list[tuple[str, dict]]:
    """(statement, plan as JSON) of every SELECT the page sent."""
    found = []
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            found.append((sql, (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]))
    return found


def scanned(node: dict, parent: dict | None = None) -> list[str]:
    """The big tables a plan reads sequentially. A seq scan with no filter right under ``LIMIT 1`` reads one
    row (the date hierarchy's ``SELECT (first), (last) FROM member LIMIT 1``): not a scan of the table."""
    found = []
    if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
        one_row = parent is not None and parent.get("Node Type") == "Limit" and parent.get("Plan Rows", 2) <= 1
        if not (one_row and "Filter" not in node):
            found.append(node["Relation Name"])
    for child in node.get("Plans", []):
        found += scanned(child, node)
    return found


def seq_scans(found: list[tuple[str, dict]]) -> list[str]:
    return [f"{sql[:300]}\n{json.dumps(plan)[:2000]}" for sql, plan in found if scanned(plan)]


@pytest.fixture
def staff(people):
    province = Region.objects.filter(code="14").first()
    if province is None:
        province_user = people["root"]
    else:
        province_user = UserFactory(username="province", role=Role.REGIONAL_STAFF, region="14")
    return {"county": people["alice"], "city": people["carol"], "province": province_user}


def test_no_page_scans_the_member_table_for_county_city_or_province_staff(staff, client_for):
    load_register()
    assert Member.objects.count() == MEMBERS + 2
    for user in staff.values():  # the dashboard's figures exist (computed by the refresh, not by the page)
        client_for(user).get(reverse("dashboard"))
    dashboard_refresh()
    checked, scans = 0, []
    for role, user in staff.items():
        client = client_for(user)
        for page in PAGES:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(page))
            assert response.status_code == 200, (role, page)
            found = plans([q["sql"] for q in queries])
            checked += len(found)
            scans += [f"{role} {page}: {scan}" for scan in seq_scans(found)]
    assert checked > 3 * len(PAGES)
    assert not scans, "\n\n".join(scans)


def test_the_check_finds_a_scan_when_a_page_counts_the_register(staff):
    """The check itself can fail: the old county table's count of active members, planned at this size."""
    load_register()
    with CaptureQueriesContext(connection) as queries:
        list(Member.objects.filter(status="active").values("county").annotate(n=Count("pk")).order_by())
    assert seq_scans(plans([q["sql"] for q in queries]))

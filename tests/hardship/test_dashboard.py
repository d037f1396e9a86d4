"""The dashboard's hardship section: households by layer and cause, amounts per programme per quarter, each
persona seeing their own reach (figures by hand)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboard.selectors.dashboard import dashboard_data
from dashboard.services.snapshots import dashboard_refresh
from hardship.services import cycle_approve, cycle_compute, cycle_create
from tests.hardship.factories import fund, household, programme

pytestmark = pytest.mark.django_db
YEAR = 2026


def _approved(prog, start, end, name):
    cycle = cycle_create(programme=prog, name=name, period_start=start, period_end=end)
    return cycle_approve(cycle=cycle_compute(cycle=cycle))


@pytest.fixture
def two_registers(regions):
    """沁水县: two deep (illness), one relative (schooling): 300 each in Q3 (900), 1,000 for the student aid
    in Q3 to the schooling household only... by layer: deep 0, relative 1,000 (1,000). 阳城县: one accident
    household, 300 in Q1."""
    household(layer="deep", cause="illness")
    household(layer="deep", cause="illness")
    household(layer="relative", cause="schooling")
    money = fund(amount=Decimal("10000.00"))
    _approved(programme(fund_=money), dt.date(YEAR, 7, 1), dt.date(YEAR, 9, 30), "第三季度")
    aid = programme(name="金秋助学", rule="by_layer", amount_relative=Decimal("1000"), fund_=money)
    _approved(aid, dt.date(YEAR, 8, 1), dt.date(YEAR, 8, 31), "2026年")
    household("140522", layer="accident", cause="accident")
    _approved(programme("140522"), dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31), "第一季度")


def _hardship(user):
    return dashboard_data(user, year=YEAR)["charts"]["hardship"]


def test_county_staff_see_their_county(two_registers, alice, bob):
    charts = _hardship(alice)
    assert charts["layers"] == {"labels": ["深度困难", "相对困难", "意外致困"], "data": [2, 1, 0]}
    assert dict(zip(charts["causes"]["labels"], charts["causes"]["data"], strict=True))["大病"] == 2
    assert charts["quarters"]["labels"] == ["第1季度", "第2季度", "第3季度", "第4季度"]
    assert sorted((d["label"], d["data"]) for d in charts["quarters"]["datasets"]) == [
        ("季度慰问", [0, 0, 900.0, 0]),
        ("金秋助学", [0, 0, 1000.0, 0]),
    ]
    other = _hardship(bob)
    assert other["layers"]["data"] == [0, 0, 1]
    assert [(d["label"], d["data"]) for d in other["quarters"]["datasets"]] == [("季度慰问", [300.0, 0, 0, 0])]


def test_the_city_sees_every_county_and_a_station_manager_nothing(two_registers, carol, dave):
    charts = _hardship(carol)
    assert charts["layers"]["data"] == [2, 1, 1]
    assert sorted((d["label"], d["data"]) for d in charts["quarters"]["datasets"]) == [
        ("季度慰问", [300.0, 0, 900.0, 0]),
        ("金秋助学", [0, 0, 1000.0, 0]),
    ]
    assert "hardship" not in dashboard_data(dave, year=YEAR)["charts"]


def test_the_page_draws_the_section(two_registers, alice, client_for):
    client_for(alice).get(reverse("dashboard"), {"year": YEAR})  # asks for the year's figures of alice's reach
    dashboard_refresh()  # the page shows what the refresh job stored
    page = client_for(alice).get(reverse("dashboard"), {"year": YEAR}).content.decode()
    assert 'id="chart-hardship-quarters"' in page and '"hardship"' in page
    assert 'id="hardship-given"' in page and "1,900.00" in page

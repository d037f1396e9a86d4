"""The workbench's counted links open lists filtered to exactly the rows they counted."""

import datetime as dt

import pytest
from django.utils import timezone

from dashboard.selectors.workbench import workbench_items
from tests.factories import QINSHUI, TOWN_OF, YANGCHENG
from tests.stations.factories import RectificationFactory, StationFactory
from tests.stations.rating_factories import give_stars


@pytest.fixture
def stations(db):
    today = timezone.localdate()
    for county in (QINSHUI, YANGCHENG):
        town = TOWN_OF[county]
        expiring = StationFactory(region_id=town, status="operating")
        give_stars(expiring, 3, today - dt.timedelta(days=300), today + dt.timedelta(days=20))
        lasting = StationFactory(region_id=town, status="operating")
        give_stars(lasting, 2, today - dt.timedelta(days=10), today + dt.timedelta(days=700))
        expired = StationFactory(region_id=town, status="operating")
        give_stars(expired, 1, today - dt.timedelta(days=800), today - dt.timedelta(days=5))
        StationFactory(region_id=town, status="operating")  # never rated: due for evaluation
        StationFactory(region_id=town, status="planned")  # not expected to be rated yet
        RectificationFactory(station=StationFactory(region_id=town, status="rectifying"))


def filtered_items(user):
    return [item for item in workbench_items(user) if "?" in item.url]


@pytest.mark.parametrize("name", ["alice", "erin", "carol"])
def test_every_filtered_link_lists_exactly_the_counted_rows(name, people, stations, client_for):
    user = people[name]
    client = client_for(user)
    items = filtered_items(user)
    assert items
    for item in items:
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        assert "e=1" not in response.get("Location", ""), item.url  # an unknown filter is dropped with ?e=1
        assert response.context["cl"].result_count == item.count, (item.label, item.url)


def test_the_star_links_go_to_their_flags(people, stations):
    alice, erin = people["alice"], people["erin"]
    by_label = {item.label: item for item in workbench_items(alice) + workbench_items(erin)}
    expiring = by_label["星级即将到期的站点"]
    due = by_label["待评估的站点"]
    assert expiring.url.endswith("?rating_flag=expiring") and expiring.count == 1
    assert due.url.endswith("?rating_flag=due") and due.count >= 2
    overdue = by_label["整改逾期的站点"]
    assert overdue.url.endswith("?rectification=overdue") and overdue.count == 1

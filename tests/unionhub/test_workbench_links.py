"""The workbench's counted links open lists filtered to exactly the rows they counted."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from casework.choices import CaseStatus
from casework.models import WorkerRequest
from casework.selectors.clock import mediation_period_end
from casework.services import agreements, mediation
from dashboard.selectors.workbench import workbench_items
from tests.casework.factories import at, file_request, hierarchy, mediation_station
from tests.factories import QINSHUI, TOWN_OF, YANGCHENG
from tests.stations.factories import RectificationFactory, StationFactory
from tests.stations.rating_factories import ensure_schemes, give_stars


@pytest.fixture
def stations(db):
    ensure_schemes()  # the default schemes come from a data migration, which a transactional test's flush removes
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


@pytest.fixture
def casework(db, people):
    """In each county: requests overdue, due soon, provisional and fine; mediation cases near the end of their
    period, long past it, fresh, and one settled with an unpaid instalment past its date."""
    today = timezone.localdate()
    for county in (QINSHUI, YANGCHENG):
        hierarchy(county)

        def filed(days_ago, county=county, **dates):
            request = file_request(county_code=county, now=at(str(today - dt.timedelta(days=days_ago))))
            WorkerRequest.objects.filter(pk=request.pk).update(**dates)
            return request

        filed(20)  # overdue
        filed(0, due_soon_on=today, level_due_on=today + dt.timedelta(days=1))  # due soon
        filed(0, due_provisional=True)  # counted across a year not loaded
        filed(0)
        station = mediation_station(region_id=TOWN_OF[county])

        def case(days_ago, station=station):
            received = today - dt.timedelta(days=days_ago)
            return mediation.mediation_open(station=station, category="wages", summary="拖欠工资", received_on=received)

        near = next(  # received so that the 15-day period ends within 3 days, whatever the holidays
            days
            for days in range(15, 11, -1)
            if today <= mediation_period_end(today - dt.timedelta(days=days), county) <= today + dt.timedelta(days=3)
        )
        case(near)
        case(60)  # long past: not near
        case(2)
        settled = case(40)
        mediation.claim_add(
            case=settled, description="工资", amount_claimed=Decimal("100.00"), amount_agreed=Decimal("100.00")
        )
        agreements.agreement_sign(
            case=settled,
            signed_on=today - dt.timedelta(days=30),
            terms="分两期支付。",
            instalments=[
                (today - dt.timedelta(days=20), Decimal("50.00")),  # unpaid and past its date
                (today + dt.timedelta(days=20), Decimal("50.00")),
            ],
        )
        settled.refresh_from_db()
        assert settled.status == CaseStatus.SETTLED


CASEWORK_LINKS = ["due=overdue", "due=soon", "due=provisional", "period=near", "instalments=overdue"]


@pytest.mark.parametrize("name", ["alice", "carol", "root"])
def test_every_casework_item_counts_exactly_its_linked_list(name, people, casework, client_for):
    user = people[name]
    client = client_for(user)
    items = {query: item for item in workbench_items(user) for query in CASEWORK_LINKS if item.url.endswith(query)}
    # City staff read requests but do not handle them: no "overdue"/"due soon" of their own.
    expected = CASEWORK_LINKS[2:] if name == "carol" else CASEWORK_LINKS
    assert set(items) == set(expected), [item.url for item in workbench_items(user)]
    per_county = 2 if name in ("carol", "root") else 1
    for _query, item in items.items():
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        assert "e=1" not in response.get("Location", ""), item.url
        assert response.context["cl"].result_count == item.count == per_county, (item.label, item.url)


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


@pytest.fixture
def every_kind_of_work(people, stations, casework):
    """Beyond the stations and casework above: dave runs a 沁水县 station with an open notice, erin has an
    evaluation in progress, and stations that are not operating have no activity (not counted as inactive)."""
    from stations.models import Evaluation
    from stations.services.ratings import evaluation_start

    today = timezone.localdate()
    mine = StationFactory(
        name="嘉峰镇工会驿站", managers=[people["dave"]], region_id=TOWN_OF[QINSHUI], status="operating"
    )
    RectificationFactory(station=mine, deadline=today + dt.timedelta(days=5))
    evaluation = evaluation_start(station=mine, inspectors="赵刚")
    assert Evaluation.objects.get(pk=evaluation.pk).status == "draft"
    StationFactory(region_id=TOWN_OF[QINSHUI], status="building")  # no activity, but not expected to hold any


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave", "erin", "root", "hank"])
def test_every_item_of_every_role_opens_a_list_of_exactly_its_count(name, people, every_kind_of_work, client_for):
    """No dead end: each item opens (200, never 403 or a redirect), and where it opens a list, the list holds
    exactly the number the item shows - the filtered links and the unfiltered ones ("your stations")."""
    user = people[name]
    client = client_for(user)
    items = workbench_items(user)
    for item in items:
        response = client.get(item.url)
        assert response.status_code == 200, (name, item.label, item.url, response.status_code)
        changelist = response.context.get("cl")
        assert changelist is not None, (name, item.label, item.url)
        assert changelist.result_count == item.count, (name, item.label, item.url)


def test_the_station_manager_sees_their_open_notice_and_opens_it(people, every_kind_of_work, client_for):
    by_label = {item.label: item for item in workbench_items(people["dave"])}
    notices = by_label["未结的整改通知"]
    assert notices.count == 1
    assert client_for(people["dave"]).get(notices.url).context["cl"].result_count == 1


def test_the_inspector_counts_the_evaluation_in_progress_and_its_link_lists_only_it(people, every_kind_of_work):
    by_label = {item.label: item for item in workbench_items(people["erin"])}
    assert by_label["进行中的评估"].count == 1 and by_label["进行中的评估"].url.endswith("?progress=open")


def test_inactive_means_operating_stations_on_the_workbench_the_dashboard_and_the_list(
    people, every_kind_of_work, client_for
):
    """One definition: the workbench's count, the dashboard's figure and the filtered list agree, and a station
    being built (no activity, not expected to have any) is in none of them."""
    from dashboard.selectors.stations import inactive_station_count

    alice = people["alice"]
    item = next(i for i in workbench_items(alice) if i.url.endswith("?inactive=yes"))
    listed = client_for(alice).get(item.url).context["cl"].result_count
    assert item.count == inactive_station_count(alice) == listed
    assert item.label.startswith("连续") and "运营站点" in item.label

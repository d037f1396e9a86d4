"""The stations app's lists as selectors: stations, activities, evaluations and subsidy allocations, scoped once,
filtered by FilterSets named as the changelists' parameters - so that a list read through the selector has
exactly the rows of the changelist at the same query string."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from stations.filtersets import ActivityFilterSet, AllocationFilterSet, EvaluationFilterSet, StationListFilterSet
from stations.models import Evaluation, Facility, SubsidyAllocation
from stations.selectors.lists import activity_list, allocation_list, evaluation_list, station_list
from tests.factories import QINSHUI, TOWN_OF, YANGCHENG
from tests.stations.factories import ActivityFactory, RectificationFactory, StationFactory
from tests.stations.rating_factories import give_stars, make_policy, make_run, make_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def stations(people):
    today = timezone.localdate()
    qinshui, yangcheng = TOWN_OF[QINSHUI], TOWN_OF[YANGCHENG]
    found = {
        "managed": StationFactory(name="嘉峰镇工会驿站", region_id=qinshui, managers=[people["dave"]]),
        "rated": StationFactory(name="沁水星级驿站", region_id=qinshui, open_24h=True),
        "planned": StationFactory(name="沁水规划驿站", region_id=qinshui, status="planned", kind="workshop"),
        "late": StationFactory(name="沁水整改驿站", region_id=qinshui, status="rectifying"),
        "theirs": StationFactory(name="润城镇驿站", region_id=yangcheng),
    }
    give_stars(found["rated"], 3, today - dt.timedelta(days=300), today + dt.timedelta(days=20))
    RectificationFactory(station=found["late"])
    ActivityFactory(station=found["managed"], title="送清凉", date=today - dt.timedelta(days=2))
    ActivityFactory(station=found["managed"], title="法律咨询", date=dt.date(2025, 3, 4))
    ActivityFactory(station=found["theirs"], title="阳城送清凉")
    return found


def names(queryset, field="name"):
    return sorted(queryset.values_list(field, flat=True))


def changelist(client, model: str, params: dict) -> set:
    response = client.get(reverse(f"admin:stations_{model}_changelist"), params)
    assert response.status_code == 200, (model, params, response.get("Location"))
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def test_a_county_user_a_city_user_and_a_station_manager_each_get_their_stations(stations, people):
    assert names(station_list(user=people["alice"])) == [
        "嘉峰镇工会驿站",
        "沁水整改驿站",
        "沁水星级驿站",
        "沁水规划驿站",
    ]
    assert len(names(station_list(user=people["carol"]))) == 5
    assert names(station_list(user=people["dave"])) == ["嘉峰镇工会驿站"]
    assert names(activity_list(user=people["dave"]), "title") == ["法律咨询", "送清凉"]
    assert names(activity_list(user=people["bob"]), "title") == ["阳城送清凉"]


def test_the_station_filters_and_search(stations, people):
    alice = people["alice"]
    assert names(station_list(user=alice, filters={"status__exact": "planned"})) == ["沁水规划驿站"]
    assert names(station_list(user=alice, filters={"kind__exact": "workshop"})) == ["沁水规划驿站"]
    assert names(station_list(user=alice, filters={"rectification": "overdue"})) == ["沁水整改驿站"]
    assert names(station_list(user=alice, filters={"stars": "3"})) == ["沁水星级驿站"]
    assert names(station_list(user=alice, filters={"rating_flag": "expiring"})) == ["沁水星级驿站"]
    assert names(station_list(user=alice, filters={"open_24h__exact": "1"})) == ["沁水星级驿站"]
    assert names(station_list(user=alice, search="整改")) == ["沁水整改驿站"]
    assert names(station_list(user=people["carol"], filters={"region__code__exact": TOWN_OF[YANGCHENG]})) == [
        "润城镇驿站"
    ]


def test_a_list_the_user_may_not_read_is_refused(stations, people):
    with pytest.raises(PermissionDenied):
        allocation_list(user=people["dave"])


STATION_COMBOS = [
    {},
    {"kind__exact": "rest"},
    {"status__exact": "operating"},
    {"status__exact": "rectifying", "rectification": "open"},
    {"rectification": "overdue"},
    {"inactive": "yes"},
    {"inactive": "yes", "status__exact": "operating"},  # the dashboard's link
    {"stars": "3"},
    {"stars": "0"},
    {"rating_flag": "expiring"},
    {"rating_flag": "due"},
    {"rating_flag": "low_satisfaction"},
    {"open_24h__exact": "1"},
    {"open_24h__exact": "0"},
    {"is_complete__exact": "0"},
    {"region__code__exact": TOWN_OF[QINSHUI]},
]


@pytest.mark.parametrize("params", STATION_COMBOS)
@pytest.mark.parametrize("who", ["alice", "carol", "dave"])
def test_the_station_selector_reads_the_changelists_rows(stations, people, client_for, who, params):
    user = people[who]
    shown = changelist(client_for(user), "station", params)
    assert set(station_list(user=user, filters=QueryDict(urlencode(params))).values_list("pk", flat=True)) == shown


def test_the_facility_filter_reads_the_changelists_rows(stations, people, client_for):
    facility = Facility.objects.filter(stations=stations["rated"]).first()
    params = {"facilities__id__exact": facility.pk}
    shown = changelist(client_for(people["alice"]), "station", params)
    assert set(station_list(user=people["alice"], filters=params).values_list("pk", flat=True)) == shown


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"date__year": "2025"},
        {"date__year": "2025", "date__month": "3", "date__day": "4"},
        {"station__id__exact": 0},
    ],
)
def test_the_activity_selector_reads_the_changelists_rows(stations, people, client_for, params):
    if "station__id__exact" in params:
        params = {"station__id__exact": stations["managed"].pk}
    for who in ("alice", "dave", "carol"):
        shown = changelist(client_for(people[who]), "activity", params)
        assert set(activity_list(user=people[who], filters=params).values_list("pk", flat=True)) == shown


@pytest.fixture
def evaluations_and_allocations(stations):
    scheme = make_scheme()
    for station, status, stars in [(stations["rated"], "approved", 3), (stations["late"], "submitted", None)]:
        Evaluation.objects.create(station=station, scheme=scheme, inspectors="王检查", status=status, stars=stars)
    Evaluation.objects.create(station=stations["theirs"], scheme=scheme, inspectors="李检查", status="submitted")
    run = make_run(make_policy(QINSHUI))
    for station, kind, stars in [(stations["rated"], "operating", 3), (stations["managed"], "construction", 0)]:
        SubsidyAllocation.objects.create(
            run=run,
            station=station,
            county=QINSHUI,
            period_start=run.period_start,
            period_end=run.period_end,
            subsidy_type=kind,
            stars=stars,
            amount=Decimal("100.00"),
            breakdown="测试",
        )
    return run


EVALUATION_COMBOS = [{}, {"status__exact": "submitted"}, {"stars": "3"}, {"station__kind__exact": "rest"}]
ALLOCATION_COMBOS = [{}, {"subsidy_type__exact": "operating"}, {"stars": "0"}, {"status__exact": "proposed"}]


@pytest.mark.parametrize(
    ("model", "read", "combos"),
    [("evaluation", evaluation_list, EVALUATION_COMBOS), ("subsidyallocation", allocation_list, ALLOCATION_COMBOS)],
)
def test_evaluations_and_allocations_read_the_changelists_rows(
    evaluations_and_allocations, people, client_for, model, read, combos
):
    for params in [*combos, {"run__id__exact": evaluations_and_allocations.pk}] if model != "evaluation" else combos:
        for who in ("alice", "carol", "root"):
            shown = changelist(client_for(people[who]), model, params)
            assert set(read(user=people[who], filters=params).values_list("pk", flat=True)) == shown, (who, params)


@pytest.mark.parametrize(
    "filterset", [StationListFilterSet, ActivityFilterSet, EvaluationFilterSet, AllocationFilterSet]
)
def test_every_filter_has_a_chinese_label(filterset):
    labels = {name: str(f.label) for name, f in filterset.base_filters.items()}
    assert all(label and not label.isascii() for label in labels.values()), labels

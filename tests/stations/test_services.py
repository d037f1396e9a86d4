"""Station rules per kind, the lifecycle, opening hours and rectification notices."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from stations.choices import LiuYou, StationKind, StationStatus, TeamKind
from stations.models import OpeningHours, ServiceTeam, Station
from stations.selectors import station_is_open
from stations.services import (
    opening_hours_check,
    rectification_close,
    rectification_issue,
    station_change_status,
    station_missing_items,
    station_next_code,
    station_refresh,
    station_save,
)
from tests.factories import JIAFENG, UnionOrganizationFactory
from tests.stations.factories import StationFactory, basic_facilities, ensure_catalogues

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("regions")


@pytest.fixture(autouse=True)
def catalogues(db):
    ensure_catalogues()


def new_station(**fields):
    defaults = {"name": "嘉峰镇新驿站", "kind": StationKind.REST_STATION, "region_id": JIAFENG, "address": "嘉峰镇1号"}
    return Station(**{**defaults, **fields})


def test_a_station_without_a_code_gets_the_next_one_for_its_town_and_kind():
    first = station_save(station=new_station())
    second = station_save(station=new_station(name="第二个"))
    assert first.code == "140521104-R-001"
    assert second.code == "140521104-R-002"
    assert station_next_code(region_code=JIAFENG, kind=StationKind.WORKSHOP) == "140521104-W-001"


def test_a_workshop_rest_stop_needs_20_square_metres_and_an_enterprise():
    with pytest.raises(ValidationError) as exc:
        station_save(station=new_station(kind=StationKind.WORKSHOP, area_m2=Decimal("18")))
    assert set(exc.value.message_dict) == {"area_m2", "host"}
    host = UnionOrganizationFactory()
    assert station_save(station=new_station(kind=StationKind.WORKSHOP, area_m2=Decimal("20"), host=host)).pk


@pytest.mark.parametrize("lat,lng", [("112.43", "35.71"), ("1.30", "103.80"), ("35.7", None)])
def test_coordinates_outside_china_or_half_given_are_refused(lat, lng):
    station = new_station(latitude=Decimal(lat), longitude=Decimal(lng) if lng else None)
    with pytest.raises(ValidationError) as exc:
        station_save(station=station)
    assert "latitude" in exc.value.message_dict
    assert not Station.objects.exists()


def test_a_duplicate_station_code_is_refused():
    station_save(station=new_station(code="QS-001"))
    with pytest.raises(ValidationError) as exc:
        station_save(station=new_station(code="QS-001", name="另一个"))
    assert "code" in exc.value.message_dict


def test_a_station_must_sit_in_a_town():
    with pytest.raises(ValidationError) as exc:
        station_save(station=new_station(region_id="140521"))
    assert "region" in exc.value.message_dict


def test_missing_items_name_the_basic_facilities_of_the_haikou_list():
    station = StationFactory(facilities=[])
    missing = station_missing_items(station)
    assert {"微波炉", "急救药箱", "卫生间", "空调"} <= set(missing)
    station.facilities.set(basic_facilities(StationKind.REST_STATION))
    station_refresh(station=station)
    station.refresh_from_db()
    assert station.is_complete and station.missing_items == ""


def test_a_labour_relations_station_needs_the_six_haves_and_five_teams():
    station = StationFactory(kind=StationKind.LABOUR_RELATIONS, facilities=[], liuyou=[LiuYou.PLATFORM])
    assert len(station_missing_items(station)) == 5 + 5
    station.liuyou = list(LiuYou.values)
    station.save()
    for kind in TeamKind.values:
        ServiceTeam.objects.create(station=station, kind=kind, leader="张律师", members="李四 调解员\n王五 律师")
    assert station_missing_items(station) == []
    assert station.teams.get(kind=TeamKind.LAWYERS).member_count == 2


def test_the_lifecycle_is_recorded_with_dates_and_reasons(alice):
    station = StationFactory(status=StationStatus.PLANNED)
    station_change_status(station=station, to_status=StationStatus.BUILDING, reason="开工", user=alice)
    station_change_status(station=station, to_status=StationStatus.OPERATING, reason="验收通过", user=alice)
    station.refresh_from_db()
    assert station.status == StationStatus.OPERATING
    assert list(station.status_changes.values_list("to_status", flat=True)) == ["operating", "building"]


def test_a_station_cannot_skip_steps_or_come_back_from_delisting(alice):
    station = StationFactory(status=StationStatus.PLANNED)
    with pytest.raises(ValidationError):
        station_change_status(station=station, to_status=StationStatus.OPERATING, reason="跳过", user=alice)
    station_change_status(station=station, to_status=StationStatus.DELISTED, reason="撤销", user=alice)
    with pytest.raises(ValidationError):
        station_change_status(station=station, to_status=StationStatus.PLANNED, reason="恢复", user=alice)


def test_a_station_cannot_start_operating_without_the_basics(alice):
    station = StationFactory(status=StationStatus.BUILDING, facilities=[])
    with pytest.raises(ValidationError) as exc:
        station_change_status(station=station, to_status=StationStatus.OPERATING, reason="开放", user=alice)
    assert "微波炉" in exc.value.messages[0]
    assert Station.objects.get(pk=station.pk).status == StationStatus.BUILDING


def test_a_status_change_needs_a_reason(alice):
    station = StationFactory(status=StationStatus.PLANNED)
    with pytest.raises(ValidationError):
        station_change_status(station=station, to_status=StationStatus.BUILDING, reason="  ", user=alice)


def test_overlapping_opening_hours_are_reported():
    assert opening_hours_check([(0, dt.time(8), dt.time(12)), (0, dt.time(11), dt.time(18))])
    assert not opening_hours_check([(0, dt.time(8), dt.time(12)), (0, dt.time(12), dt.time(18))])
    assert opening_hours_check([(4, dt.time(18), dt.time(0)), (4, dt.time(23), dt.time(0))])


def test_a_period_ending_before_it_starts_is_refused():
    station = StationFactory()
    with pytest.raises(ValidationError):
        OpeningHours(station=station, weekday=0, opens=dt.time(18), closes=dt.time(8)).full_clean()
    OpeningHours(station=station, weekday=0, opens=dt.time(18), closes=dt.time(0)).full_clean()


def at(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_open_now_across_midnight():
    station = StationFactory()
    # Friday 18:00 to midnight, then Saturday 00:00-02:00 (2026-11-27 is a Friday).
    OpeningHours.objects.create(station=station, weekday=4, opens=dt.time(18), closes=dt.time(0))
    OpeningHours.objects.create(station=station, weekday=5, opens=dt.time(0), closes=dt.time(2))
    assert station_is_open(station, at(2026, 11, 27, 23, 59))
    assert station_is_open(station, at(2026, 11, 28, 1, 30))
    assert not station_is_open(station, at(2026, 11, 28, 2, 0))
    assert not station_is_open(station, at(2026, 11, 27, 17, 59))


def test_a_24_hour_station_is_always_open():
    station = StationFactory(open_24h=True)
    assert station_is_open(station, at(2026, 11, 25, 3, 0))


def test_open_now_uses_shanghai_time_for_utc_moments():
    station = StationFactory()
    OpeningHours.objects.create(station=station, weekday=2, opens=dt.time(8), closes=dt.time(9))
    assert station_is_open(station, dt.datetime(2026, 11, 25, 0, 30, tzinfo=dt.UTC))  # 08:30 in Shanghai


def test_a_rectification_notice_suspends_and_its_closing_restores_operation(alice):
    station = StationFactory(status=StationStatus.OPERATING)
    notice = rectification_issue(station=station, findings="卫生差", deadline=dt.date.today(), user=alice)
    station.refresh_from_db()
    assert station.status == StationStatus.RECTIFYING
    rectification_close(notice=notice, outcome="已整改到位", user=alice)
    station.refresh_from_db()
    assert station.status == StationStatus.OPERATING


def test_a_notice_closed_without_an_outcome_is_refused(alice):
    notice = rectification_issue(station=StationFactory(), findings="卫生差", deadline=dt.date.today(), user=alice)
    with pytest.raises(ValidationError):
        rectification_close(notice=notice, outcome=" ", user=alice)


def test_an_overdue_notice_is_flagged(alice):
    notice = rectification_issue(
        station=StationFactory(),
        findings="卫生差",
        deadline=dt.date.today() - dt.timedelta(days=1),
        issued_on=dt.date.today() - dt.timedelta(days=30),
        user=alice,
    )
    assert notice.is_overdue

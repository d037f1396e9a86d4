"""The station figures the database keeps - each station's latest activity date (``LastActivity``) and each
station's month (``StationMonth``) - equal a fresh reading of the logs after every way activities and visitor
counts change: one at a time, in bulk, moved, re-dated, deleted one by one or as a set; the repairs put wrong
figures right, idempotently. The inactive-station list and the dashboard's months read them. Runs on SQLite
(row triggers) and, in CI, on PostgreSQL (statement triggers over transition tables)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from stations.models import Activity, LastActivity, Station, StationMonth, VisitorCount
from stations.selectors import stations_inactive
from stations.services.summaries import (
    last_activity_rebuild,
    station_months_held,
    station_months_read,
    station_months_rebuild,
)
from tests.stations.factories import ActivityFactory, StationFactory, VisitorCountFactory

TODAY = dt.date(2026, 6, 30)


def assert_equal_to_a_reading() -> dict[int, dt.date]:
    read = dict(Activity.objects.order_by().values("station_id").annotate(m=Max("date")).values_list("station_id", "m"))
    held = dict(LastActivity.objects.exclude(date=None).values_list("station_id", "date"))
    assert held == read
    return read


@pytest.fixture
def stations(regions):
    return StationFactory(), StationFactory(), StationFactory()


def test_activities_logged_one_by_one_and_in_bulk_raise_the_date(stations):
    first, second, _third = stations
    ActivityFactory(station=first, date=dt.date(2026, 3, 1))
    ActivityFactory(station=first, date=dt.date(2026, 1, 1))  # older: the date stays
    kind = Activity.objects.first().kind
    Activity.objects.bulk_create(
        [Activity(station=second, kind=kind, date=dt.date(2026, 5, d), title=f"活动{d}") for d in (1, 9, 3)]
    )
    assert assert_equal_to_a_reading() == {first.pk: dt.date(2026, 3, 1), second.pk: dt.date(2026, 5, 9)}


def test_re_dating_moving_and_deleting_recompute_it(stations):
    first, second, _third = stations
    latest = ActivityFactory(station=first, date=dt.date(2026, 4, 1))
    ActivityFactory(station=first, date=dt.date(2026, 2, 1))
    latest.date = dt.date(2026, 1, 15)  # re-dated before the other: the other is now the latest
    latest.save()
    assert assert_equal_to_a_reading()[first.pk] == dt.date(2026, 2, 1)
    Activity.objects.filter(station=first, date=dt.date(2026, 2, 1)).update(station=second)  # moved
    assert assert_equal_to_a_reading() == {first.pk: dt.date(2026, 1, 15), second.pk: dt.date(2026, 2, 1)}
    latest.delete()
    Activity.objects.filter(station=second).delete()
    assert assert_equal_to_a_reading() == {}
    assert set(LastActivity.objects.values_list("station_id", "date")) <= {(first.pk, None), (second.pk, None)}


def test_the_inactive_list_reads_the_dates_not_the_activities(stations):
    first, second, third = stations
    ActivityFactory(station=first, date=TODAY - dt.timedelta(days=10))
    ActivityFactory(station=second, date=TODAY - dt.timedelta(days=400))  # long ago
    with CaptureQueriesContext(connection) as queries:
        inactive = set(stations_inactive(Station.objects.all(), today=TODAY).values_list("pk", flat=True))
    assert inactive == {second.pk, third.pk}
    assert not [q["sql"] for q in queries if '"stations_activity"' in q["sql"]]


def test_the_repair_puts_a_wrong_date_right_and_a_second_run_changes_nothing(stations):
    first, second, third = stations
    ActivityFactory(station=first, date=dt.date(2026, 3, 1))
    ActivityFactory(station=second, date=dt.date(2026, 3, 2))
    LastActivity.objects.filter(station_id=first.pk).update(date=dt.date(2020, 1, 1))
    LastActivity.objects.filter(station_id=second.pk).delete()
    LastActivity.objects.create(station_id=third.pk, date=dt.date(2026, 1, 1))
    assert last_activity_rebuild() == {"checked": 2, "repaired": sorted([first.pk, second.pk, third.pk])}
    assert_equal_to_a_reading()
    assert last_activity_rebuild() == {"checked": 2, "repaired": []}


def assert_months_equal_a_reading() -> dict:
    read = station_months_read()
    assert station_months_held() == read
    return read


def test_a_station_s_months_follow_activities_and_visitor_counts_however_they_change(stations):
    first, second, _third = stations
    ActivityFactory(station=first, date=dt.date(2026, 3, 1), participants=20)
    ActivityFactory(station=first, date=dt.date(2026, 3, 31), participants=5)
    kind = Activity.objects.first().kind
    Activity.objects.bulk_create([Activity(station=second, kind=kind, date=dt.date(2026, 4, d), title=f"活动{d}",
                                           participants=d) for d in (1, 2)])  # fmt: skip
    VisitorCountFactory(station=first, date=dt.date(2026, 3, 2), visitors=30)
    VisitorCount.objects.bulk_create(
        [VisitorCount(station=second, date=dt.date(2026, 4, d), visitors=10) for d in (1, 2)]
    )
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    assert assert_months_equal_a_reading() == {(first.pk, march): (2, 25, 30), (second.pk, april): (2, 3, 20)}
    Activity.objects.filter(station=first, date=dt.date(2026, 3, 31)).update(date=dt.date(2026, 4, 3))  # re-dated
    Activity.objects.filter(station=second, participants=2).update(station=first, participants=7)  # moved, changed
    VisitorCount.objects.filter(station=second, date=dt.date(2026, 4, 2)).update(visitors=15)
    read = assert_months_equal_a_reading()
    assert read[(first.pk, april)] == (2, 12, 0) and read[(second.pk, april)] == (1, 1, 25)
    Activity.objects.filter(station=second).delete()
    VisitorCount.objects.all().delete()
    first.activities.order_by("-date").first().delete()  # the re-dated one, 3 April
    assert assert_months_equal_a_reading() == {(first.pk, march): (1, 20, 0), (first.pk, april): (1, 7, 0)}


def test_the_dashboard_s_months_read_the_stations_months_not_the_logs(stations, alice):
    from dashboard.selectors.stations import monthly_activity

    first, second, _third = stations
    ActivityFactory(station=first, date=TODAY.replace(day=2), participants=20)
    ActivityFactory(station=second, date=TODAY.replace(day=3), participants=4)
    VisitorCountFactory(station=first, date=TODAY.replace(day=2), visitors=30)
    with CaptureQueriesContext(connection) as queries:
        months = monthly_activity(alice, today=TODAY)
    assert months[-1] == {"month": TODAY.replace(day=1), "activities": 2, "participants": 24, "visitors": 30}
    assert [m["activities"] for m in months[:-1]] == [0] * (len(months) - 1)
    logs = ('"stations_activity"', '"stations_visitorcount"')
    assert not [q["sql"] for q in queries if any(table in q["sql"] for table in logs)]


def test_the_months_repair_puts_wrong_figures_right_and_a_second_run_changes_nothing(stations):
    first, second, _third = stations
    ActivityFactory(station=first, date=dt.date(2026, 3, 1), participants=20)
    VisitorCountFactory(station=second, date=dt.date(2026, 3, 2), visitors=30)
    StationMonth.objects.filter(station_id=first.pk).update(activities=9)
    StationMonth.objects.filter(station_id=second.pk).delete()
    StationMonth.objects.create(station_id=first.pk, month=dt.date(2025, 1, 1), activities=3)
    assert station_months_rebuild() == {"checked": 2, "repaired": 3}
    assert_months_equal_a_reading()
    assert station_months_rebuild() == {"checked": 2, "repaired": 0}

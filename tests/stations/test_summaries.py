"""Each station's latest activity date (``LastActivity``) equals a fresh reading of its activities after every
way activities change - one at a time, in bulk, moved, re-dated, deleted one by one or as a set - and the
repair puts a wrong date right, idempotently. The inactive-station list reads it. Runs on SQLite (row
triggers) and, in CI, on PostgreSQL (statement triggers over transition tables)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from stations.models import Activity, LastActivity, Station
from stations.selectors import stations_inactive
from stations.services.summaries import last_activity_rebuild
from tests.stations.factories import ActivityFactory, StationFactory

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

"""The dashboard's figures are computed by the scheduled refresh, never on a visitor's request: the first
visitor sees "正在统计", later visitors the stored figures with the time they were computed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from dashboard.models import DashboardSnapshot
from dashboard.services.snapshots import REFRESH_JOB, dashboard_refresh
from tests.factories import JIAFENG, QINSHUI, RUNCHENG, YANGCHENG
from tests.stations.factories import ActivityFactory, StationFactory, ensure_catalogues
from unionhub.jobkinds import JOB_KINDS
from unionhub.models import Job

COMPUTING_TABLES = ('"stations_station"', '"stations_activity"', '"membership_membershipapplication"')


@pytest.fixture(autouse=True)
def stations(regions):
    ensure_catalogues()
    today = timezone.localdate()
    for region in (JIAFENG, JIAFENG, RUNCHENG):
        ActivityFactory(station=StationFactory(region_id=region), date=today - dt.timedelta(days=3))


def computing(queries) -> list[str]:
    """The statements that count or sum over stations, activities or applications (the header's one-row read
    of the user's station is not a figure)."""
    figures = ("COUNT(", "SUM(", "GROUP BY")
    return [
        q["sql"]
        for q in queries
        if any(table in q["sql"] for table in COMPUTING_TABLES) and any(word in q["sql"] for word in figures)
    ]


def test_the_first_visitor_sees_counting_and_no_figure_is_computed_for_them(alice, client_for):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(alice).get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="dashboard-pending"' in page and "正在统计" in page and 'id="kpi-operating"' not in page
    assert not computing(queries)
    row = DashboardSnapshot.objects.get(key=f"region:{QINSHUI}")
    assert row.figures is None and row.computed_at is None
    assert Job.objects.filter(kind=REFRESH_JOB).exists()  # the refresh was started at once


def test_after_the_refresh_the_page_shows_the_stored_figures_and_when_they_were_counted(alice, carol, client_for):
    client_for(alice).get(reverse("dashboard"))
    dashboard_refresh()
    row = DashboardSnapshot.objects.get(key=f"region:{QINSHUI}")
    with CaptureQueriesContext(connection) as queries:
        response = client_for(alice).get(reverse("dashboard"))
    page = response.content.decode()
    assert not computing(queries), computing(queries)
    assert f"统计于 {timezone.localtime(row.computed_at):%H:%M}" in page
    assert response.context["table"]["total"] == 2  # 沁水县's two stations, not 阳城县's
    # city staff's row was made by the refresh itself, before carol ever looked
    assert client_for(carol).get(reverse("dashboard")).context["table"]["total"] == 3


def test_the_refresh_keeps_everything_and_every_staff_region_and_drops_rows_nobody_asks_for(
    alice, bob, carol, dave, client_for
):
    client_for(dave).get(reverse("dashboard"))  # a station manager's own stations: asked for
    client_for(alice).get(reverse("dashboard"), {"year": 2020})
    assert dashboard_refresh()["computed"] >= 5
    keys = set(DashboardSnapshot.objects.values_list("key", "year"))
    year = timezone.localdate().year
    assert {("all", year), (f"region:{QINSHUI}", year), (f"region:{YANGCHENG}", year), ("region:1405", year)} <= keys
    assert (f"user:{dave.pk}", year) in keys and (f"region:{QINSHUI}", 2020) in keys
    DashboardSnapshot.objects.update(asked_at=timezone.now() - dt.timedelta(days=31))
    dashboard_refresh()
    kept = set(DashboardSnapshot.objects.values_list("key", "year"))
    assert (f"user:{dave.pk}", year) not in kept and (f"region:{QINSHUI}", 2020) not in kept
    assert ("all", year) in kept and (f"region:{QINSHUI}", year) in kept
    assert not DashboardSnapshot.objects.filter(figures__isnull=True).exists()


def test_a_visitor_who_may_not_see_the_queue_gets_no_application_figures_from_the_shared_row(dave, client_for):
    client = client_for(dave)
    client.get(reverse("dashboard"))
    dashboard_refresh()
    response = client.get(reverse("dashboard"))
    assert response.context["applications"] is None and "applications" not in response.context["charts"]


def test_the_refresh_runs_every_five_minutes_as_a_registered_job(beat_schedule):
    task = PeriodicTask.objects.get(name="dashboard figures")
    assert task.task == REFRESH_JOB and task.enabled and task.crontab.minute == "*/5"
    assert JOB_KINDS[REFRESH_JOB].idempotent


def test_figures_that_no_longer_load_are_shown_as_being_counted(alice, client_for):
    client_for(alice).get(reverse("dashboard"))
    DashboardSnapshot.objects.update(figures=b"not a pickle", computed_at=timezone.now())
    assert 'id="dashboard-pending"' in client_for(alice).get(reverse("dashboard")).content.decode()

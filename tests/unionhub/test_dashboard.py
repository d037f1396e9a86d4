"""The dashboard (数据看板): what each persona sees, how targets are counted, the monthly figures, overdue
notices, inactive stations, the map data, and a query count that does not grow with the stations."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard import selectors as dashboard
from dashboard.services.snapshots import dashboard_refresh
from stations import geo
from stations.choices import StationKind, StationStatus
from stations.models import CoverageTarget
from tests.factories import JIAFENG, QINSHUI, RUNCHENG, YANGCHENG, UserFactory
from tests.stations.factories import (
    ActivityFactory,
    RectificationFactory,
    StationFactory,
    VisitorCountFactory,
    ensure_catalogues,
)

LONGGANG = "140521100"  # another town of 沁水县
TODAY = dt.date(2026, 3, 10)  # the 12-month window is then 2025-04-01 .. 2026-03-10
REST, LABOUR = StationKind.REST_STATION, StationKind.LABOUR_RELATIONS


@pytest.fixture(autouse=True)
def catalogues(db, settings):
    ensure_catalogues()
    settings.STATION_INACTIVE_MONTHS = 3
    settings.MAP_TILE_CRS = "wgs84"


@pytest.fixture
def two_counties(dave):
    """Two stations in 沁水县 (one of them dave's) and one in 阳城县, each with an activity and visitors."""
    stations = {
        "qinshui": StationFactory(name="嘉峰镇工会驿站", region_id=JIAFENG, managers=[dave]),
        "longgang": StationFactory(name="龙港镇工会驿站", region_id=LONGGANG),
        "yangcheng": StationFactory(name="润城镇工会驿站", region_id=RUNCHENG),
    }
    for n, station in enumerate(stations.values(), start=1):
        ActivityFactory(station=station, date=TODAY - dt.timedelta(days=3), participants=10 * n)
        VisitorCountFactory(station=station, date=TODAY - dt.timedelta(days=2), visitors=100 * n)
    return stations


def shown(client, params=None):
    """The dashboard page once the scheduled refresh has run: the first visit asks for the reach's figures
    (and sees "正在统计"), the refresh computes them, the second visit shows them."""
    client.get(reverse("dashboard"), params or {})
    dashboard_refresh()
    return client.get(reverse("dashboard"), params or {})


def station_names(data) -> set[str]:
    return {point["name"] for point in data["stations"]}


def json_block(page: str, element_id: str):
    """The data a ``json_script`` element carries."""
    return json.loads(re.search(rf'id="{element_id}" type="application/json">(.*?)</script>', page).group(1))


def target(region: str, kind: str, goal: int, year: int = 2026) -> CoverageTarget:
    return CoverageTarget.objects.create(region_id=region, year=year, kind=kind, target=goal)


# --- Scoping ------------------------------------------------------------------------------------------------


def test_it_shows_county_staff_only_their_county(alice, two_counties):
    data = dashboard.dashboard_data(alice, today=TODAY)
    assert station_names(data) == {"嘉峰镇工会驿站", "龙港镇工会驿站"}
    assert data["table"]["total"] == 2
    assert data["activities_total"] == 2
    assert data["participants_total"] == 10 + 20
    assert data["visitors_total"] == 100 + 200
    assert data["scope_label"] == "沁水县"


def test_it_shows_county_staff_of_the_other_county_only_theirs(bob, two_counties):
    data = dashboard.dashboard_data(bob, today=TODAY)
    assert station_names(data) == {"润城镇工会驿站"}
    assert data["visitors_total"] == 300


def test_it_shows_city_staff_every_county_below_them(carol, two_counties):
    data = dashboard.dashboard_data(carol, today=TODAY)
    assert station_names(data) == {"嘉峰镇工会驿站", "龙港镇工会驿站", "润城镇工会驿站"}
    assert data["table"]["total"] == 3
    assert data["visitors_total"] == 600


def test_it_shows_a_station_manager_only_their_station(dave, two_counties):
    data = dashboard.dashboard_data(dave, today=TODAY)
    assert station_names(data) == {"嘉峰镇工会驿站"}
    assert data["table"]["total"] == 1
    assert (data["activities_total"], data["participants_total"], data["visitors_total"]) == (1, 10, 100)
    assert data["shows_targets"] is False


def test_it_shows_the_superuser_everything(root, two_counties):
    data = dashboard.dashboard_data(root, today=TODAY)
    assert data["table"]["total"] == 3
    assert data["shows_targets"] is True


def test_the_page_does_not_show_county_staff_the_other_countys_stations(alice, carol, two_counties, client_for):
    page = shown(client_for(alice)).content.decode()
    assert "龙港镇工会驿站" in page and "润城镇工会驿站" not in page
    page = shown(client_for(carol)).content.decode()
    assert "龙港镇工会驿站" in page and "润城镇工会驿站" in page


def test_it_counts_a_station_with_two_managers_once(alice, dave, people):
    # scope_queryset ORs the region with a join to the managers; counting over that join would count twice.
    StationFactory(region_id=JIAFENG, managers=[dave, people["erin"]])
    StationFactory(region_id=JIAFENG, managers=[alice, dave])
    data = dashboard.dashboard_data(alice, today=TODAY)
    assert data["table"]["total"] == 2
    assert data["operating_total"] == 2


# --- Coverage targets ---------------------------------------------------------------------------------------


@pytest.fixture
def targets_and_stations():
    StationFactory.create_batch(2, region_id=JIAFENG, kind=REST)
    StationFactory(region_id=LONGGANG, kind=REST)
    StationFactory(region_id=JIAFENG, kind=REST, status=StationStatus.BUILDING)  # not operating yet
    StationFactory(region_id=JIAFENG, kind=REST, status=StationStatus.RECTIFYING)  # not operating now
    StationFactory(region_id=JIAFENG, kind=LABOUR, area_m2=Decimal("100"))
    StationFactory(region_id=RUNCHENG, kind=REST)  # the other county
    return {
        "county_rest": target(QINSHUI, REST, 3),
        "town_rest": target(JIAFENG, REST, 3),
        "county_labour": target(QINSHUI, LABOUR, 2),
        "other_county": target(YANGCHENG, REST, 1),
        "last_year": target(QINSHUI, REST, 1, year=2025),
    }


def progress_by_target(user, year=2026):
    return {row.target_id: row for row in dashboard.coverage_progress(user, year)}


def test_it_counts_operating_stations_of_the_kind_whose_town_code_starts_with_the_target_region(
    alice, targets_and_stations
):
    rows = progress_by_target(alice)
    county = rows[targets_and_stations["county_rest"].pk]
    assert (county.operating, county.target, county.met, county.percent) == (3, 3, True, 100)
    town = rows[targets_and_stations["town_rest"].pk]
    assert (town.operating, town.target, town.met, town.percent) == (2, 3, False, 67)
    labour = rows[targets_and_stations["county_labour"].pk]
    assert (labour.operating, labour.met, labour.percent) == (1, False, 50)


def test_it_shows_county_staff_only_their_own_targets_for_the_year(alice, targets_and_stations):
    rows = progress_by_target(alice)
    assert targets_and_stations["other_county"].pk not in rows
    assert targets_and_stations["last_year"].pk not in rows
    assert len(rows) == 3
    # A county's rows come first, then its towns: ordered by region code.
    assert [row.region_code for row in dashboard.coverage_progress(alice, 2026)] == [QINSHUI, QINSHUI, JIAFENG]


def test_it_shows_city_staff_the_targets_of_every_county(carol, targets_and_stations):
    rows = progress_by_target(carol)
    other = rows[targets_and_stations["other_county"].pk]
    assert (other.operating, other.met) == (1, True)
    assert len(rows) == 4


def test_it_offers_every_year_with_a_target_and_the_current_year(alice, targets_and_stations):
    assert dashboard.target_years(alice, today=dt.date(2027, 1, 5)) == [2027, 2026, 2025]


def test_a_target_of_zero_is_met():
    row = dashboard.TargetProgress(1, QINSHUI, "沁水县", "county", "county", REST, REST, target=0, operating=0)
    assert (row.met, row.percent, row.bar_percent) == (True, 100, 100)


def test_progress_beyond_the_target_caps_the_bar_not_the_percentage():
    row = dashboard.TargetProgress(1, QINSHUI, "沁水县", "county", "county", REST, REST, target=2, operating=3)
    assert (row.percent, row.bar_percent) == (150, 100)


def test_the_page_marks_unmet_targets_and_follows_the_year_selector(alice, targets_and_stations, client_for):
    client = client_for(alice)
    page = shown(client, {"year": 2026}).content.decode()
    assert re.search(r'data-region="140521104"[^>]*data-target="3" data-operating="2" data-met="no"', page)
    assert page.count('class="uh-badge uh-bad uh-unmet"') == 2
    response = shown(client, {"year": 2025})
    assert [row.target_id for row in response.context["targets"]] == [targets_and_stations["last_year"].pk]


@pytest.mark.parametrize("value", [None, "", "abc", "1999", "2101", "20x6"])
def test_a_bad_year_means_the_current_year(value):
    assert dashboard.parse_year(value, today=TODAY) == 2026


def test_a_good_year_is_kept():
    assert dashboard.parse_year("2027", today=TODAY) == 2027


# --- Stations by kind and status ----------------------------------------------------------------------------


def test_it_counts_stations_by_kind_and_status(alice):
    StationFactory.create_batch(2, kind=REST)
    StationFactory(kind=REST, status=StationStatus.PLANNED)
    StationFactory(kind=LABOUR, area_m2=Decimal("100"), status=StationStatus.DELISTED)
    table = dashboard.station_status_table(alice)
    statuses = [value for value, _label in table["statuses"]]
    rows = {row["kind"]: row for row in table["rows"]}
    assert rows[REST]["counts"][statuses.index(StationStatus.OPERATING)] == 2
    assert rows[REST]["counts"][statuses.index(StationStatus.PLANNED)] == 1
    assert rows[REST]["total"] == 3
    assert rows[LABOUR]["counts"][statuses.index(StationStatus.DELISTED)] == 1
    assert rows[StationKind.WORKERS_HOME]["total"] == 0  # every kind appears, zeros included
    assert table["total"] == 4
    assert sum(table["totals"]) == 4


# --- Monthly figures ----------------------------------------------------------------------------------------


def test_it_sums_activities_participants_and_visitors_per_month_over_twelve_months(alice):
    station = StationFactory()
    ActivityFactory(station=station, date=dt.date(2026, 3, 1), participants=30)
    ActivityFactory(station=station, date=dt.date(2026, 3, 9), participants=12)
    ActivityFactory(station=station, date=dt.date(2026, 2, 28), participants=5)
    ActivityFactory(station=station, date=dt.date(2025, 4, 1), participants=7)  # the first day of the window
    ActivityFactory(station=station, date=dt.date(2025, 3, 31), participants=100)  # just outside
    VisitorCountFactory(station=station, date=dt.date(2026, 3, 2), visitors=40)
    VisitorCountFactory(station=station, date=dt.date(2026, 3, 3), visitors=60)
    VisitorCountFactory(station=station, date=dt.date(2025, 3, 31), visitors=999)  # just outside

    months = dashboard.monthly_activity(alice, today=TODAY)

    assert len(months) == 12
    assert (months[0]["month"], months[-1]["month"]) == (dt.date(2025, 4, 1), dt.date(2026, 3, 1))
    by_month = {m["month"]: (m["activities"], m["participants"], m["visitors"]) for m in months}
    assert by_month[dt.date(2026, 3, 1)] == (2, 42, 100)
    assert by_month[dt.date(2026, 2, 1)] == (1, 5, 0)
    assert by_month[dt.date(2025, 4, 1)] == (1, 7, 0)
    assert by_month[dt.date(2025, 10, 1)] == (0, 0, 0)
    charts = dashboard.dashboard_data(alice, today=TODAY)["charts"]["monthly"]
    assert charts["labels"][0] == "2025-04" and charts["labels"][-1] == "2026-03"
    assert charts["activities"][-1] == 2 and charts["visitors"][-1] == 100


# --- Overdue rectifications ---------------------------------------------------------------------------------


@pytest.fixture
def notices():
    station = StationFactory(name="柿庄镇工会驿站")
    return {
        "overdue": RectificationFactory(
            station=station, issued_on=TODAY - dt.timedelta(days=40), deadline=TODAY - dt.timedelta(days=12)
        ),
        "older": RectificationFactory(
            station=station, issued_on=TODAY - dt.timedelta(days=90), deadline=TODAY - dt.timedelta(days=30)
        ),
        "due_today": RectificationFactory(station=station, deadline=TODAY),
        "closed": RectificationFactory(
            station=station, deadline=TODAY - dt.timedelta(days=5), closed_on=TODAY, outcome="已更换饮水机"
        ),
        "elsewhere": RectificationFactory(station=StationFactory(region_id=RUNCHENG), deadline=TODAY - dt.timedelta(1)),
    }


def test_it_lists_open_notices_past_their_deadline_the_longest_overdue_first(alice, notices):
    count, rows = dashboard.overdue_rows(alice, today=TODAY)
    assert count == 2
    assert [row["notice"] for row in rows] == [notices["older"], notices["overdue"]]
    assert [row["days_overdue"] for row in rows] == [30, 12]
    assert rows[0]["town"] == "沁水县嘉峰镇"


def test_city_staff_see_the_overdue_notices_of_every_county(carol, notices):
    count, _rows = dashboard.overdue_rows(carol, today=TODAY)
    assert count == 3


def test_the_overdue_count_is_the_total_when_the_list_is_cut(alice, notices):
    count, rows = dashboard.overdue_rows(alice, today=TODAY, limit=1)
    assert (count, len(rows)) == (2, 1)


def test_the_page_links_each_overdue_notice_to_its_change_page(alice, client_for):
    notice = RectificationFactory(station=StationFactory(), deadline=timezone.localdate() - dt.timedelta(days=3))
    response = shown(client_for(alice))
    assert response.context["overdue_count"] == 1
    page = response.content.decode()
    assert reverse("admin:stations_rectification_change", args=[notice.pk]) in page
    assert 'class="module uh-section uh-alert-module" id="overdue"' in page


# --- Inactive stations --------------------------------------------------------------------------------------


@pytest.fixture
def activity_history():
    recent = StationFactory(name="近期有活动")
    ActivityFactory(station=recent, date=TODAY - dt.timedelta(days=60))
    stale = StationFactory(name="四个月前有活动")
    ActivityFactory(station=stale, date=TODAY - dt.timedelta(days=120))
    StationFactory(name="从未开展活动")
    StationFactory(name="筹建中", status=StationStatus.PLANNED)  # not expected to hold activities yet
    StationFactory(name="阳城无活动", region_id=RUNCHENG)


def test_it_counts_operating_stations_with_no_activity_for_the_configured_months(alice, activity_history):
    assert dashboard.inactive_station_count(alice, today=TODAY) == 2


def test_the_inactive_period_follows_the_setting(alice, activity_history, settings):
    settings.STATION_INACTIVE_MONTHS = 6
    assert dashboard.inactive_station_count(alice, today=TODAY) == 1


def test_the_page_links_the_inactive_count_to_the_filtered_station_list(alice, client_for):
    StationFactory()
    page = shown(client_for(alice)).content.decode()
    link = re.search(r'id="inactive-link" href="([^"]+)"', page).group(1)
    assert link.startswith(reverse("admin:stations_station_changelist") + "?")
    assert "inactive=yes" in link
    assert re.search(r'id="kpi-inactive">1<', page)


# --- Map ----------------------------------------------------------------------------------------------------


def test_it_lists_stations_without_coordinates_but_maps_only_those_with_them(alice, client_for):
    StationFactory(name="有坐标", latitude=Decimal("35.717000"), longitude=Decimal("112.431000"))
    StationFactory(name="无坐标", latitude=None, longitude=None)
    StationFactory(name="已摘牌", status=StationStatus.DELISTED)
    response = shown(client_for(alice))
    assert [p["name"] for p in response.context["stations"]] == ["有坐标", "无坐标"]
    assert response.context["unmapped_count"] == 1
    map_data = json_block(response.content.decode(), "dashboard-map-data")
    assert [(p["name"], p["lat"], p["lng"]) for p in map_data["points"]] == [("有坐标", 35.717, 112.431)]
    assert map_data["crs"] == "wgs84"


@pytest.mark.parametrize(
    ("crs", "convert"), [("gcj02", geo.wgs84_to_gcj02), ("bd09", geo.wgs84_to_bd09), ("wgs84", lambda *p: p)]
)
def test_it_converts_markers_to_the_crs_of_the_tiles(alice, settings, crs, convert):
    settings.MAP_TILE_CRS = crs
    StationFactory(latitude=Decimal("35.717000"), longitude=Decimal("112.431000"))
    (point,) = dashboard.station_map(alice)
    lat, lng = convert(35.717, 112.431)
    assert (point["lat"], point["lng"]) == (round(lat, 6), round(lng, 6))
    if crs != "wgs84":  # a shift of a few hundred metres in China
        assert 0.0005 < abs(point["lng"] - 112.431) < 0.02


# --- The page -----------------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=/admin/dashboard/" in response["Location"]


def test_a_user_who_is_not_staff_is_sent_to_the_login_page(regions, client_for):
    worker = UserFactory(is_staff=False, region=QINSHUI)
    response = client_for(worker).get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_page_passes_chart_and_map_data_as_json_and_loads_only_vendored_scripts(alice, two_counties, client_for):
    response = shown(client_for(alice))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="dashboard-charts" type="application/json"' in page
    assert 'id="dashboard-map-data" type="application/json"' in page
    assert '<canvas id="chart-kinds"' in page and '<canvas id="chart-monthly"' in page
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    assert "/static/vendor/chartjs-4.6.1/chart.umd.min.js" in scripts
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in scripts
    assert not [src for src in scripts if src.startswith(("http:", "https:", "//"))]


def test_the_admin_index_links_to_the_dashboard(alice, client_for):
    page = client_for(alice).get(reverse("admin:index")).content.decode()
    assert f'id="dashboard-link" href="{reverse("dashboard")}"' in page


# --- Queries ------------------------------------------------------------------------------------------------


def county_with(stations: int) -> None:
    today = timezone.localdate()
    for region in (QINSHUI, JIAFENG):
        CoverageTarget.objects.update_or_create(
            region_id=region, year=today.year, kind=REST, defaults={"target": stations}
        )
    for station in StationFactory.create_batch(stations):
        ActivityFactory(station=station, date=today - dt.timedelta(days=40))
        VisitorCountFactory(station=station, date=today - dt.timedelta(days=2))
        RectificationFactory(station=station, deadline=today - dt.timedelta(days=1))


def queries_for(user, client) -> tuple[int, int]:
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)  # count the permission lookup each time
    connection.queries_log.clear()  # a full log (9,000 entries; the factories and the refresh) counts nothing
    with CaptureQueriesContext(connection) as selectors_run:
        dashboard.dashboard_data(user)
    client.get(reverse("dashboard"))
    dashboard_refresh()  # the page shows the stored figures: count what showing them costs
    user._unionhub_reach = None  # count the scope lookup on the page as well
    with CaptureQueriesContext(connection) as page_run:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(selectors_run), len(page_run)


def test_the_number_of_queries_does_not_grow_with_the_number_of_stations(alice, client_for):
    from django.core.cache import cache

    client = client_for(alice)
    county_with(3)
    cache.clear()  # the page keeps its figures for two minutes: measure the computation each time
    few = queries_for(alice, client)
    county_with(27)
    cache.clear()
    many = queries_for(alice, client)
    assert dashboard.dashboard_data(alice)["table"]["total"] == 30
    assert many == few
    assert few[0] <= 23  # 20, and hardship assistance's section: three grouped queries


def test_it_shows_the_star_rating_flags_as_links_to_the_filtered_station_list(alice, two_counties, client_for):
    response = shown(client_for(alice))
    flags = response.context["rating_flags"]
    assert set(flags) >= {"stars_expiring", "due_for_reevaluation", "low_satisfaction"}
    # Operating stations with no approved star level are due for (first) evaluation.
    assert flags["due_for_reevaluation"] >= 1
    text = response.content.decode()
    assert "?rating_flag=due" in text and "?rating_flag=low_satisfaction" in text


def test_it_shows_the_online_application_figures_of_the_users_own_county(alice, dave, client_for):
    from membership.models import MembershipApplication
    from tests.membership.factories import ApplicationFactory, union_in

    now = timezone.now()
    for minutes, county in ((10, QINSHUI), (50, QINSHUI), (5, YANGCHENG)):
        application = ApplicationFactory(union=union_in(county))
        MembershipApplication.objects.filter(pk=application.pk).update(
            submitted_at=now - dt.timedelta(hours=2),
            decided_at=now - dt.timedelta(hours=2) + dt.timedelta(minutes=minutes),
            status="approved",
        )
    waiting = ApplicationFactory(union=union_in(QINSHUI))
    MembershipApplication.objects.filter(pk=waiting.pk).update(submitted_at=now - dt.timedelta(minutes=45))

    response = shown(client_for(alice))
    figures = response.context["applications"]["figures"]
    assert [c.code for c in figures.counties] == [QINSHUI]  # 阳城县's application is not counted
    assert (figures.total.submitted, figures.total.decided, figures.total.pending) == (3, 2, 1)
    # Of three with a known outcome (two decided, one pending past 30 minutes) one was decided in time.
    assert figures.total.within_promise_share == pytest.approx(1 / 3)
    assert response.context["applications"]["overdue_now"] == 1
    page = response.content.decode()
    assert 'id="application-table"' in page and "33%" in page
    assert sum(json_block(page, "dashboard-charts")["applications"]["data"]) == 3

    # A station manager has no review queue, so no application figures.
    manager = shown(client_for(dave))
    assert manager.context["applications"] is None and 'id="application-table"' not in manager.content.decode()


def test_the_dashboard_shows_when_each_scheduled_task_last_ran_and_which_is_late(alice, client_for):
    import datetime as _dt

    from django.utils import timezone as _tz

    from unionhub.models import Heartbeat

    Heartbeat.objects.create(name="unionhub.jobs_sweep", at=_tz.now() - _dt.timedelta(minutes=10))
    Heartbeat.objects.create(name="unionhub.backup_nightly", at=_tz.now() - _dt.timedelta(hours=2))
    page = shown(client_for(alice)).content.decode()
    sweep = page.split('data-heartbeat="unionhub.jobs_sweep"')[1].split("</tr>")[0]
    backup = page.split('data-heartbeat="unionhub.backup_nightly"')[1].split("</tr>")[0]
    assert "后台任务巡检" in sweep and "uh-bad" in sweep  # beat has been silent for ten minutes
    assert "每晚备份" in backup and "uh-bad" not in backup

"""The dashboard in a real browser: county staff see the charts and their stations on the map, offline."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from dashboard.services.snapshots import dashboard_refresh
from stations.choices import StationKind, StationStatus
from stations.models import CoverageTarget
from tests.browser.conftest import admin_login
from tests.factories import QINSHUI, ensure_regions
from tests.stations.factories import (
    ActivityFactory,
    RectificationFactory,
    StationFactory,
    VisitorCountFactory,
    ensure_catalogues,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

L, R = StationKind.LABOUR_RELATIONS, StationKind.REST_STATION

# name, town, kind, status, latitude, longitude (WGS-84), as in the demo county
QINSHUI_STATIONS = [
    (
        "嘉峰镇劳动关系公共服务站",
        "140521104",
        L,
        StationStatus.OPERATING,
        "35.7742",
        "112.4387",
    ),
    ("龙港镇工会驿站", "140521100", R, StationStatus.OPERATING, "35.6898", "112.1905"),
    ("郑庄镇工会驿站", "140521102", R, StationStatus.OPERATING, "35.7396", "112.3401"),
    ("端氏镇工会驿站", "140521103", R, StationStatus.RECTIFYING, "35.7612", "112.4908"),
    ("中村镇工会驿站", "140521101", R, StationStatus.BUILDING, "35.6012", "112.0351"),
]


def build_county():
    """Five mapped stations and one without coordinates in 沁水县, a station in 阳城县, a year of logs, targets,
    and an overdue rectification notice. Created here: a transactional test starts from an empty database."""
    ensure_regions()
    ensure_catalogues()
    today = timezone.localdate()
    stations = [
        StationFactory(
            name=name,
            region_id=town,
            kind=kind,
            status=status,
            latitude=Decimal(lat),
            longitude=Decimal(lng),
            area_m2=Decimal("80"),
        )
        for name, town, kind, status, lat, lng in QINSHUI_STATIONS
    ]
    StationFactory(name="柿庄镇工会驿站", region_id="140521106", latitude=None, longitude=None)
    StationFactory(name="润城镇工会驿站", region_id="140522102")
    for months_ago in range(12):
        day = today.replace(day=1) - dt.timedelta(days=30 * months_ago - 5)
        day = min(day, today)
        for n, station in enumerate(stations[:3]):
            ActivityFactory(station=station, date=day, participants=15 + 5 * n + months_ago)
            VisitorCountFactory(station=station, date=day, visitors=300 + 40 * n + 10 * months_ago)
    CoverageTarget.objects.create(region_id=QINSHUI, year=today.year, kind=StationKind.REST_STATION, target=4)
    CoverageTarget.objects.create(region_id=QINSHUI, year=today.year, kind=StationKind.LABOUR_RELATIONS, target=1)
    CoverageTarget.objects.create(region_id="140521100", year=today.year, kind=StationKind.REST_STATION, target=1)
    RectificationFactory(station=stations[3], findings="饮水机损坏，卫生状况差", deadline=today - dt.timedelta(days=10))


def test_county_staff_see_the_charts_and_their_stations_on_the_map(live_server, desk, people):
    build_county()
    dashboard_refresh()  # the scheduled refresh has run: the page shows stored figures
    own_host = urlsplit(live_server.url).netloc
    elsewhere, errors = [], []

    def offline(route):
        # This machine is offline, as county servers may be: anything not from our server fails.
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            elsewhere.append(route.request)
            route.abort()

    desk.route("**/*", offline)
    desk.on("pageerror", lambda error: errors.append(str(error)))

    admin_login(desk, live_server, "alice")
    desk.wait_for_selector("#dashboard-link")
    desk.click("#dashboard-link")
    desk.wait_for_selector("#dashboard-map path.uh-marker")

    assert desk.locator("#dashboard-map path.uh-marker").count() == len(QINSHUI_STATIONS)
    assert desk.get_attribute("#dashboard-map", "data-markers") == str(len(QINSHUI_STATIONS))
    for canvas in ("chart-kinds", "chart-monthly"):
        assert desk.locator(f"canvas#{canvas}").is_visible()
        assert desk.evaluate(f"!!Chart.getChart(document.getElementById('{canvas}'))")
    listed = desk.locator("#station-list li").all_inner_texts()
    assert len(listed) == len(QINSHUI_STATIONS) + 1  # the one without coordinates is listed, not mapped
    assert not any("润城镇" in text for text in listed)
    assert desk.locator("#overdue-list tbody tr").count() == 1
    assert desk.locator("#target-table .uh-unmet").count() == 1  # rest stations: 3 of 4 operating
    assert desk.locator("#map-notice").is_visible()  # the tiles failed, and the page says so

    desk.screenshot(path="test-results/dashboard.png", full_page=True)

    # A click on a listed station (beside its name, which opens the record) shows it on the map.
    desk.locator("#station-list li", has_text="郑庄镇工会驿站").locator(".uh-meta").click()
    desk.wait_for_selector(".leaflet-popup-content")
    assert "郑庄镇工会驿站" in desk.inner_text(".leaflet-popup-content")

    assert errors == []
    assert {r.resource_type for r in elsewhere} <= {"image"}  # map tiles only: no CDN scripts or styles

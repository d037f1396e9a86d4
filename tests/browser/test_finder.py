"""A worker on a phone finds the nearest open station, opens its page and is offered navigation.

The machine is offline, as many county servers are: map tiles never arrive (requests leaving the live server
are refused here so that the test is fast and the same everywhere), and the list and markers must still work."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from stations import geo
from stations.data.catalogue import seed_catalogues
from stations.models import ActivityKind, Facility, Service
from tests.factories import ensure_regions
from tests.stations.factories import OpeningHoursFactory, StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONGGANG = "140521100"
WORKER = {"latitude": 35.6900, "longitude": 112.1900}  # on 新建街, 龙港镇
NOT_LOCAL = re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])")


def at(lat, lng):
    return {"latitude": Decimal(str(lat)), "longitude": Decimal(str(lng))}


@pytest.fixture
def county():
    """Four operating stations around 龙港镇 and one under rectification right next to the worker.

    The nearest operating one keeps no hours (never open) so that "open now" matters whatever time the test
    runs; the nearest open one is a 24-hour station."""
    ensure_regions()
    seed_catalogues(Facility, Service, ActivityKind)
    microwave, charging = Facility.objects.get(code="microwave"), Facility.objects.get(code="ebike_charging")
    StationFactory(
        code="140521100-R-009", name="整改中的驿站", status="rectifying", region_id=LONGGANG, **at(35.6901, 112.1901)
    )
    StationFactory(
        code="140521100-L-001",
        name="龙港镇劳动关系公共服务站",
        kind="labour",
        region_id=LONGGANG,
        **at(35.6921, 112.1862),
    )
    rest = StationFactory(
        code="140521100-R-001",
        name="沁水县总工会龙港镇工会驿站",
        region_id=LONGGANG,
        address="龙港镇新建街与梅河路交叉口",
        phone="0356-7022110",
        open_24h=True,
        facilities=[microwave, charging],
        **at(35.6860, 112.1975),
    )
    StationFactory(code="140521102-R-001", name="郑庄镇快递外卖骑手驿站", open_24h=True, **at(35.7396, 112.3401))
    far = StationFactory(code="140521104-R-001", name="嘉峰镇工会驿站", **at(35.7768, 112.4352))
    for weekday in range(7):
        OpeningHoursFactory(station=far, weekday=weekday, opens=dt.time(8, 30), closes=dt.time(20, 0))
    return rest


def card_names(page):
    return page.locator(".station-card .station-name").all_inner_texts()


def test_a_worker_finds_the_nearest_open_station_and_navigates_there(live_server, phone, county):
    phone.route(NOT_LOCAL, lambda route: route.abort())  # offline: no tiles
    phone.context.grant_permissions(["geolocation"], origin=live_server.url)
    phone.context.set_geolocation(WORKER)

    phone.goto(f"{live_server.url}/stations/")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    # Without a location the list is already there, server-rendered, and every station is on the map.
    assert len(card_names(phone)) == 4
    assert "整改中的驿站" not in phone.content()
    phone.wait_for_selector("#finder-map .pin")
    assert phone.locator("#finder-map .pin").count() == 4

    # "Find stations near me": the phone's position comes back as ?lat=&lng= and the list is nearest first.
    phone.click("button[data-locate]")
    phone.wait_for_url(re.compile(r"/stations/\?lat=35\.69"))
    names = card_names(phone)
    assert names[0] == "龙港镇劳动关系公共服务站"  # nearest, but it keeps no hours
    assert names[1] == "沁水县总工会龙港镇工会驿站"
    assert names[-1] == "嘉峰镇工会驿站"
    distances = [
        int(d) for d in phone.locator(".station-card").evaluate_all("cards => cards.map(c => c.dataset.distanceM)")
    ]
    assert distances == sorted(distances)
    assert phone.locator(".station-card").first.locator(".distance").inner_text().strip()
    phone.wait_for_selector("#finder-map .here-dot")

    # Only what is open now: one tap on the chip, and the nearest open station comes first.
    phone.click("label.chip-open")
    phone.wait_for_url(re.compile(r"open_now=1"))
    assert card_names(phone)[0] == "沁水县总工会龙港镇工会驿站"
    first = phone.locator(".station-card").first
    assert first.get_attribute("data-open") == "1"
    assert first.locator(".badge-open").count() == 1
    assert "龙港镇劳动关系公共服务站" not in card_names(phone)
    # The tiles could not load: the map says so, and the markers are there all the same.
    phone.wait_for_selector("[data-map-notice]:not([hidden])")
    assert phone.locator("#finder-map .pin-first").count() == 1
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path="test-results/finder-phone.png")

    # Its page: hours, facilities, the station's phone, and navigation in GCJ-02 for Amap.
    first.locator("a.station-main").click()
    phone.wait_for_url(re.compile(r"/stations/140521100-R-001/"))
    assert phone.locator("h1.station-title").inner_text() == "沁水县总工会龙港镇工会驿站"
    assert phone.locator("[data-open-badge='1']").count() == 1
    assert "微波炉" in phone.content() and "电动车充电" in phone.content()
    assert phone.locator("a[href='tel:03567022110']").count() == 1
    navigate = phone.locator("a[data-navigate]")
    assert navigate.is_visible()
    href = navigate.get_attribute("href")
    lat, lng = geo.wgs84_to_gcj02(35.6860, 112.1975)
    assert href.startswith(f"https://uri.amap.com/marker?position={lng:.6f},{lat:.6f}&")
    assert "coordinate=gaode" in href
    box = navigate.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 200  # a thumb can hit it
    phone.screenshot(path="test-results/finder-phone-station.png")


def test_a_worker_without_gps_taps_the_map_to_sort_by_distance(live_server, phone, county):
    phone.route(NOT_LOCAL, lambda route: route.abort())
    phone.goto(f"{live_server.url}/stations/")
    phone.wait_for_selector("#finder-map .pin")
    map_box = phone.locator("#finder-map").bounding_box()
    # Tap an empty part of the map (left edge, half-way down, clear of the zoom buttons), then confirm.
    phone.mouse.click(map_box["x"] + 20, map_box["y"] + map_box["height"] * 0.75)
    phone.click(".leaflet-popup .map-popup button")
    phone.wait_for_url(re.compile(r"lat=.*crs=gcj02|crs=gcj02.*lat="))
    # The server converted the tapped point back to WGS-84 and sorted by distance from it.
    assert phone.locator(".station-card[data-distance-m]").count() == 4
    distances = [
        int(d) for d in phone.locator(".station-card").evaluate_all("cards => cards.map(c => c.dataset.distanceM)")
    ]
    assert distances == sorted(distances)
    assert phone.locator("input[name=lat]").count() == 1

"""The public station finder: what it lists, its filters, nearest-first, open now, GeoJSON, posters, station pages.

Translated labels are not asserted (the catalogue is merged separately); data is: station and facility names,
codes, coordinates, URLs."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import segno
from django.template import Context, Template
from django.test.utils import ContextList
from django.urls import reverse

from stations import geo
from stations.choices import FundingSource, StationKind, StationStatus
from stations.filtersets import OriginForm, StationFilterSet
from stations.models import Facility, Funding
from stations.selectors import finder_stations, public_stations, station_hours_summary, station_week
from stations.views import distance_text, navigate_url
from tests.factories import RUNCHENG, UnionOrganizationFactory, UserFactory
from tests.stations.factories import OpeningHoursFactory, StationFactory, ensure_catalogues, open_every_day

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONGGANG = "140521100"  # 龙港镇, 沁水县
# 2026-11-27 is a Friday.
FRIDAY_EVENING = dt.datetime(2026, 11, 27, 23, 30, tzinfo=SHANGHAI)
SATURDAY_1AM = dt.datetime(2026, 11, 28, 1, 0, tzinfo=SHANGHAI)
SATURDAY_3AM = dt.datetime(2026, 11, 28, 3, 0, tzinfo=SHANGHAI)
TUESDAY_NOON = dt.datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.usefixtures("regions")


@pytest.fixture(autouse=True)
def catalogues(db):
    ensure_catalogues()


def facility(code):
    return Facility.objects.get(code=code)


def at(lat, lng):
    return {"latitude": Decimal(str(lat)), "longitude": Decimal(str(lng))}


def listed(client, **params):
    response = client.get(reverse("stations:list"), params)
    assert response.status_code == 200
    return response, [station.code for station in response.context["stations"]]


def geojson(client, **params):
    return client.get(reverse("stations:geojson"), params)


# --- What the public sees -------------------------------------------------------------------------------------


def test_it_lists_only_operating_stations(client):
    StationFactory(code="OPEN-1", name="运营中的驿站")
    for status in (StationStatus.PLANNED, StationStatus.BUILDING, StationStatus.RECTIFYING, StationStatus.DELISTED):
        StationFactory(code=f"NOT-{status}", name=f"不该出现的{status}", status=status)

    response, codes = listed(client)

    assert codes == ["OPEN-1"]
    assert "运营中的驿站" in response.content.decode()
    for status in ("planned", "building", "rectifying", "delisted"):
        assert f"不该出现的{status}" not in response.content.decode()
    assert list(public_stations().values_list("code", flat=True)) == ["OPEN-1"]


def test_the_finder_is_public_and_shows_stations_of_every_region(client):
    StationFactory(code="QS-1")
    StationFactory(code="YC-1", region_id=RUNCHENG)
    _, codes = listed(client)
    assert sorted(codes) == ["QS-1", "YC-1"]


def test_the_pages_are_chinese_and_phone_sized(client):
    StationFactory(code="S-1")
    for url in (reverse("stations:list"), reverse("stations:detail", args=["S-1"])):
        html = client.get(url).content.decode()
        assert '<html lang="zh-hans">' in html
        assert 'name="viewport"' in html
        assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html
        assert "//cdn" not in html and "unpkg" not in html


def test_public_pages_do_not_leak_managers_phones_of_persons_or_funding(client):
    manager = UserFactory(username="wangjingli", first_name="王", last_name="经理")
    station = StationFactory(code="S-1", phone="0356-7012345", managers=[manager])
    Funding.objects.create(station=station, source=FundingSource.COUNTY, year=2026, amount=Decimal("98765.43"))
    station.description = "内部备注：站长手机 13912345678"
    station.save()

    for url in (
        reverse("stations:list"),
        reverse("stations:detail", args=["S-1"]),
        reverse("stations:poster", args=["S-1"]),
        reverse("stations:geojson"),
    ):
        body = client.get(url).content.decode()
        assert "wangjingli" not in body
        assert "经理" not in body
        assert "98765" not in body
        assert "13912345678" not in body
    assert "0356-7012345" in client.get(reverse("stations:detail", args=["S-1"])).content.decode()


# --- Filters ------------------------------------------------------------------------------------------------


def test_it_filters_by_kind(client):
    StationFactory(code="REST")
    StationFactory(code="HOME", kind=StationKind.WORKERS_HOME)
    assert listed(client, kind="home")[1] == ["HOME"]
    assert listed(client, kind="rest")[1] == ["REST"]


def test_a_station_must_have_every_facility_ticked(client):
    StationFactory(code="BOTH", facilities=[facility("microwave"), facility("ebike_charging")])
    StationFactory(code="MICROWAVE", facilities=[facility("microwave")])
    StationFactory(code="NONE", facilities=[])

    assert listed(client, facility="microwave")[1] == ["BOTH", "MICROWAVE"]
    assert listed(client, facility=["microwave", "ebike_charging"])[1] == ["BOTH"]


def test_the_facility_boxes_offer_what_stations_have(client):
    StationFactory(code="S-1", facilities=[facility("microwave"), facility("ebike_charging")])
    response, _ = listed(client)
    offered = [f.code for f in response.context["facility_options"]]
    assert offered == ["microwave", "ebike_charging"]
    html = response.content.decode()
    assert 'name="facility" value="ebike_charging"' in html
    assert "电动车充电" in html


def test_it_filters_24_hour_stations(client):
    StationFactory(code="ALWAYS", open_24h=True)
    StationFactory(code="DAYTIME")
    assert listed(client, open_24h="1")[1] == ["ALWAYS"]
    # An unticked box (or a stray value of "false") does not mean "only those that are not".
    assert listed(client, open_24h="false")[1] == ["ALWAYS", "DAYTIME"]


def test_it_filters_by_town_or_county_code(client):
    StationFactory(code="JIAFENG")
    StationFactory(code="LONGGANG", region_id=LONGGANG)
    StationFactory(code="RUNCHENG", region_id=RUNCHENG)

    assert listed(client, region=LONGGANG)[1] == ["LONGGANG"]
    assert sorted(listed(client, region="140521")[1]) == ["JIAFENG", "LONGGANG"]
    assert listed(client, region="140522")[1] == ["RUNCHENG"]


def test_the_town_list_groups_towns_under_their_counties_when_there_are_several(client):
    StationFactory(code="JIAFENG")
    StationFactory(code="RUNCHENG", region_id=RUNCHENG)
    choices = StationFilterSet({}, queryset=public_stations()).region_choices()
    assert [group for group, _ in choices] == ["沁水县", "阳城县"]
    assert [code for code, _ in choices[0][1]] == ["140521", "140521104"]


def test_a_malformed_filter_is_ignored_on_the_page(client):
    StationFactory(code="S-1")
    response, codes = listed(client, region="x'; drop", kind="nonsense")
    assert codes == ["S-1"]
    assert response.context["form"].errors


def test_it_searches_name_address_and_town(client):
    StationFactory(code="A", name="郑庄镇快递外卖骑手驿站", address="郑庄镇府前街18号")
    StationFactory(code="B", name="龙港镇环卫工人爱心驿站", address="杏园社区东门", region_id=LONGGANG)
    assert listed(client, q="骑手")[1] == ["A"]
    assert listed(client, q="杏园")[1] == ["B"]
    assert listed(client, q="龙港镇")[1] == ["B"]
    assert listed(client, q="驿站 东门")[1] == ["B"]
    assert sorted(listed(client, q="  ")[1]) == ["A", "B"]


# --- Open now -----------------------------------------------------------------------------------------------


@pytest.fixture
def night_owl():
    """Open Friday 18:00 to midnight and on Saturday until 02:00: an overnight opening is two periods."""
    station = StationFactory(code="NIGHT")
    OpeningHoursFactory(station=station, weekday=4, opens=dt.time(18, 0), closes=dt.time(0, 0))
    OpeningHoursFactory(station=station, weekday=5, opens=dt.time(0, 0), closes=dt.time(2, 0))
    return station


def open_codes(moment):
    filterset = StationFilterSet({"open_now": "1"}, queryset=public_stations(), now=moment)
    return sorted(station.code for station in filterset.qs)


def test_open_now_follows_a_period_across_midnight(night_owl):
    StationFactory(code="ALWAYS", open_24h=True)
    StationFactory(code="NEVER")  # no hours at all

    assert open_codes(FRIDAY_EVENING) == ["ALWAYS", "NIGHT"]
    assert open_codes(SATURDAY_1AM) == ["ALWAYS", "NIGHT"]
    assert open_codes(SATURDAY_3AM) == ["ALWAYS"]
    assert open_codes(TUESDAY_NOON) == ["ALWAYS"]


def test_a_period_ending_at_midnight_is_open_until_the_last_minute(night_owl):
    assert open_codes(dt.datetime(2026, 11, 27, 23, 59, 59, tzinfo=SHANGHAI)) == ["NIGHT"]
    assert open_codes(dt.datetime(2026, 11, 27, 17, 59, tzinfo=SHANGHAI)) == []


def test_open_now_is_judged_in_shanghai_time(night_owl):
    # 17:00 UTC on Friday is 01:00 on Saturday in Shanghai.
    assert open_codes(dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)) == ["NIGHT"]


def test_the_page_filters_and_badges_by_the_current_time(client, night_owl):
    open_every_day(StationFactory(code="DAY"), dt.time(8, 30), dt.time(20, 0))
    with mock.patch("django.utils.timezone.now", return_value=SATURDAY_1AM):
        response, codes = listed(client)
        assert {s.code: s.is_open_now for s in response.context["stations"]} == {"DAY": False, "NIGHT": True}
        assert 'data-code="NIGHT" data-open="1"' in response.content.decode()
        assert listed(client, open_now="1")[1] == ["NIGHT"]
    with mock.patch("django.utils.timezone.now", return_value=TUESDAY_NOON):
        assert listed(client, open_now="1")[1] == ["DAY"]


def test_open_now_combines_with_the_other_filters(night_owl):
    StationFactory(code="ALWAYS-HOME", open_24h=True, kind=StationKind.WORKERS_HOME)
    filterset = StationFilterSet({"open_now": "1", "kind": "rest"}, queryset=public_stations(), now=SATURDAY_1AM)
    assert [s.code for s in filterset.qs] == ["NIGHT"]


# --- Nearest first ------------------------------------------------------------------------------------------


@pytest.fixture
def three_stations():
    StationFactory(code="FAR", **at(35.7742, 112.4387))  # 嘉峰, about 23 km east
    StationFactory(code="NEAR", region_id=LONGGANG, **at(35.6898, 112.1905))
    StationFactory(code="MIDDLE", region_id=LONGGANG, **at(35.6955, 112.1811))
    StationFactory(code="NOWHERE", latitude=None, longitude=None)


def test_it_puts_the_nearest_station_first_with_distances(client, three_stations):
    response, codes = listed(client, lat="35.6900", lng="112.1900")

    assert codes == ["NEAR", "MIDDLE", "FAR", "NOWHERE"]
    distances = [s.distance_m for s in response.context["stations"]]
    assert distances[0] == pytest.approx(geo.distance_m(35.69, 112.19, 35.6898, 112.1905))
    assert distances[0] < distances[1] < distances[2]
    assert distances[2] == pytest.approx(23_000, rel=0.1)
    assert distances[3] is None
    html = response.content.decode()
    assert html.index('id="station-NEAR"') < html.index('id="station-MIDDLE"') < html.index('id="station-FAR"')
    assert f'data-distance-m="{distances[1]:.0f}"' in html


def test_without_a_location_the_usual_order_is_kept(client, three_stations):
    response, codes = listed(client)
    assert codes == list(public_stations().values_list("code", flat=True))  # by town, then code
    assert all(s.distance_m is None for s in response.context["stations"])


@pytest.mark.parametrize(
    "params",
    [{"lat": "abc", "lng": "112.19"}, {"lat": "95", "lng": "112.19"}, {"lat": "35.69"}, {"lat": "nan", "lng": "1"}],
)
def test_a_bad_location_is_ignored(client, three_stations, params):
    response, _ = listed(client, **params)
    assert response.context["origin"] is None


def test_a_point_tapped_on_gcj02_tiles_is_converted_back_to_wgs84(client, three_stations):
    tapped = geo.wgs84_to_gcj02(35.6898, 112.1905)  # exactly on NEAR, as the tiles draw it
    response, codes = listed(client, lat=f"{tapped[0]:.7f}", lng=f"{tapped[1]:.7f}", crs="gcj02")
    assert codes[0] == "NEAR"
    assert response.context["stations"][0].distance_m < 1
    # The form carries the location on in WGS-84.
    assert response.context["location"] == {"lat": "35.689800", "lng": "112.190500"}


def test_origin_form_reads_wgs84_and_converts_other_systems():
    assert OriginForm.point({"lat": "35.69", "lng": "112.19"}) == (35.69, 112.19)
    bd = geo.wgs84_to_bd09(35.69, 112.19)
    lat, lng = OriginForm.point({"lat": str(bd[0]), "lng": str(bd[1]), "crs": "bd09"})
    assert lat == pytest.approx(35.69, abs=1e-6) and lng == pytest.approx(112.19, abs=1e-6)
    assert OriginForm.point({"lat": "35.69", "lng": "112.19", "crs": "mercator"}) is None
    assert OriginForm.point({}) is None


def test_finder_stations_sets_distance_and_open_state(three_stations):
    stations = finder_stations(public_stations(), moment=TUESDAY_NOON, origin=(35.69, 112.19))
    assert [s.code for s in stations] == ["NEAR", "MIDDLE", "FAR", "NOWHERE"]
    assert all(s.is_open_now is False for s in stations)


def test_distances_read_as_a_person_would_say_them():
    assert distance_text(None) == ""
    assert distance_text(3) == distance_text(10)
    assert "350" in distance_text(347)
    assert "1.2" in distance_text(1234)
    assert "23" in distance_text(23_456) and "." not in distance_text(23_456)


# --- GeoJSON ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_geojson_converts_coordinates_to_the_requested_system(client, crs):
    StationFactory(code="S-1", name="龙港镇工会驿站", region_id=LONGGANG, open_24h=True, **at(35.6898, 112.1905))
    StationFactory(code="HIDDEN", status=StationStatus.RECTIFYING)
    StationFactory(code="UNMAPPED", latitude=None, longitude=None)

    response = geojson(client, crs=crs)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == ["S-1"]
    feature = data["features"][0]
    lat, lng = geo.from_wgs84(35.6898, 112.1905, crs)
    assert feature["geometry"] == {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]}
    props = feature["properties"]
    assert props["code"] == "S-1"
    assert props["name"] == "龙港镇工会驿站"
    assert props["kind"] == "rest" and props["kind_label"]
    assert props["address"] == "嘉峰镇测试路1号"
    assert props["open_24h"] is True
    assert props["url"].endswith("/stations/S-1/")


def test_geojson_defaults_to_wgs84(client):
    StationFactory(code="S-1", **at(35.6898, 112.1905))
    feature = json.loads(geojson(client).content)["features"][0]
    assert feature["geometry"]["coordinates"] == [112.1905, 35.6898]


def test_geojson_refuses_an_unknown_coordinate_system_with_a_message(client):
    response = geojson(client, crs="mercator")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_geojson_filters_by_region_and_refuses_a_malformed_one(client):
    StationFactory(code="JIAFENG")
    StationFactory(code="RUNCHENG", region_id=RUNCHENG)
    assert [f["id"] for f in json.loads(geojson(client, region="140522").content)["features"]] == ["RUNCHENG"]
    assert json.loads(geojson(client, region="99").content)["features"] == []
    response = geojson(client, region="abc")
    assert response.status_code == 400
    assert "region" in json.loads(response.content)["fields"]


# --- The station page ---------------------------------------------------------------------------------------


def test_the_station_page_shows_hours_facilities_services_and_navigation(client, night_owl):
    night_owl.facilities.set([facility("microwave"), facility("ebike_charging")])
    night_owl.phone = "0356-7012345"
    night_owl.save()
    with mock.patch("django.utils.timezone.now", return_value=SATURDAY_1AM):
        response = client.get(reverse("stations:detail", args=["NIGHT"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "微波炉" in html and "电动车充电" in html
    assert 'href="tel:03567012345"' in html
    assert 'data-open-badge="1"' in html
    week = response.context["week"]
    assert [day["weekday"] for day in week] == list(range(7))
    assert week[4]["periods"] == ["18:00–24:00"]
    assert week[5]["periods"] == ["00:00–02:00"] and week[5]["is_today"]
    assert week[0]["periods"] == []
    lat, lng = geo.wgs84_to_gcj02(35.717, 112.431)
    expected = f"https://uri.amap.com/marker?position={lng:.6f},{lat:.6f}&name="
    assert response.context["navigate_url"].startswith(expected)
    assert "coordinate=gaode" in response.context["navigate_url"]
    assert expected.replace("&", "&amp;") in html


def test_the_navigation_link_carries_the_name_url_encoded():
    station = StationFactory(code="S-1", name="龙港镇工会驿站 & 骑手之家")
    url = navigate_url(station)
    assert "name=%E9%BE%99" in url and "%26" in url and " " not in url


def test_the_station_page_has_a_map_in_the_tiles_system(client, settings):
    settings.MAP_TILE_CRS = "bd09"
    StationFactory(code="S-1", **at(35.6898, 112.1905))
    data = client.get(reverse("stations:detail", args=["S-1"])).context["map_data"]
    lat, lng = geo.wgs84_to_bd09(35.6898, 112.1905)
    assert data["points"][0]["lat"] == round(lat, 6) and data["points"][0]["lng"] == round(lng, 6)
    assert data["tileCrs"] == "bd09"


def test_a_station_with_no_coordinates_has_no_map_or_navigation(client):
    StationFactory(code="S-1", latitude=None, longitude=None)
    response = client.get(reverse("stations:detail", args=["S-1"]))
    assert response.status_code == 200
    assert response.context["navigate_url"] is None and response.context["map_data"] is None
    assert "uri.amap.com" not in response.content.decode()


@pytest.mark.parametrize("status", [StationStatus.PLANNED, StationStatus.RECTIFYING, StationStatus.DELISTED])
def test_the_station_page_and_poster_are_not_found_unless_operating(client, status):
    StationFactory(code="S-1", status=status)
    assert client.get(reverse("stations:detail", args=["S-1"])).status_code == 404
    assert client.get(reverse("stations:poster", args=["S-1"])).status_code == 404


def test_an_unknown_code_is_not_found(client):
    assert client.get(reverse("stations:detail", args=["NO-SUCH"])).status_code == 404
    assert client.get(reverse("stations:poster", args=["NO-SUCH"])).status_code == 404


def test_the_hours_summary_groups_days_with_the_same_hours():
    station = StationFactory(code="S-1")
    for weekday in range(5):
        OpeningHoursFactory(station=station, weekday=weekday, opens=dt.time(8, 30), closes=dt.time(12, 0))
        OpeningHoursFactory(station=station, weekday=weekday, opens=dt.time(14, 0), closes=dt.time(18, 0))
    OpeningHoursFactory(station=station, weekday=5, opens=dt.time(9, 0), closes=dt.time(0, 0))
    station = public_stations().get(pk=station.pk)

    summary = station_hours_summary(station)

    assert [run["periods"] for run in summary] == [["08:30–12:00", "14:00–18:00"], ["09:00–24:00"], []]
    assert len(station_week(station, moment=TUESDAY_NOON)) == 7
    every_day = open_every_day(StationFactory(code="S-2"))
    assert len(station_hours_summary(public_stations().get(pk=every_day.pk))) == 1


# --- The poster ---------------------------------------------------------------------------------------------


def test_the_poster_is_a4_with_a_qr_code_of_the_public_station_page(client, settings):
    settings.PUBLIC_BASE_URL = "https://union.example.cn/"
    station = StationFactory(code="140521100-R-001", name="沁水县总工会龙港镇工会驿站", region_id=LONGGANG)
    open_every_day(station)

    response = client.get(reverse("stations:poster", args=[station.code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "沁水县总工会龙港镇工会驿站" in html
    assert "08:30–20:00" in html
    url = "https://union.example.cn/stations/140521100-R-001/"
    assert response.context["url"] == url
    expected_svg = segno.make(url, error="m", micro=False).svg_inline(omitsize=True, border=2, dark="#111")
    assert expected_svg in html  # the QR code, inline, encoding exactly the page's public address
    assert "poster.css" in html


def test_the_poster_stylesheet_sets_an_a4_page():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("public/poster.css")).read_text(encoding="utf-8")
    assert "@page" in css and "size: A4" in css


def test_the_poster_and_station_page_leave_blocks_for_later_features(client):
    StationFactory(code="S-1")
    for name, block in (("stations:poster", "poster_actions"), ("stations:detail", "station_actions")):
        response = client.get(reverse(name, args=["S-1"]))
        base = response.templates[0].name
        child = Template(f'{{% extends "{base}" %}}{{% block {block} %}}<a id="later">LATER</a>{{% endblock %}}')
        used = response.context[0] if isinstance(response.context, ContextList) else response.context
        context = Context(used.flatten())
        context["request"] = response.wsgi_request
        assert '<a id="later">LATER</a>' in child.render(context)


def test_a_poster_with_long_hours_sets_the_qr_code_beside_them(client, settings):
    settings.PUBLIC_BASE_URL = "https://union.example.cn"
    station = StationFactory(code="S-1")
    for weekday in range(7):
        OpeningHoursFactory(station=station, weekday=weekday, opens=dt.time(7 + weekday % 3, 0), closes=dt.time(12, 0))
        OpeningHoursFactory(station=station, weekday=weekday, opens=dt.time(14, 0), closes=dt.time(18, 0))
    response = client.get(reverse("stations:poster", args=["S-1"]))
    assert response.context["dense"] is True
    assert 'class="poster-main is-dense"' in response.content.decode()
    assert response.content.decode().count('class="poster-qr"') == 1

    open_every_day(StationFactory(code="S-2"))
    assert client.get(reverse("stations:poster", args=["S-2"])).context["dense"] is False


# --- Efficiency ---------------------------------------------------------------------------------------------


def test_the_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    host = UnionOrganizationFactory()
    for n in range(12):
        open_every_day(StationFactory(code=f"S-{n:02d}", host=host if n % 2 else None))
    # Fixed whatever the number of stations: the region, the open-now pair (stations and their hours), at most
    # five boxes of the nearest-first page (fewer stations than a page: the box grows to its limit) and the
    # whole list as the last resort, then the page's rows and their hours, facilities and services.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("stations:list"), {"lat": "35.7", "lng": "112.4", "open_now": "1"})
    assert response.status_code == 200


def test_a_poster_refuses_to_print_a_qr_code_of_a_loopback_address(client, settings):
    station = StationFactory(code="S-1")
    url = reverse("stations:poster", args=[station.code])
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    refused = client.get(url).content.decode()
    assert (
        'id="poster-refused"' in refused
        and "对外网址" in refused
        and "PUBLIC_BASE_URL" not in refused
        and "<svg" not in refused
    )
    settings.PUBLIC_BASE_URL = "https://union.example.cn"
    printed = client.get(url).content.decode()
    assert (
        'id="poster-refused"' not in printed and "<svg" in printed and "https://union.example.cn/stations/" in printed
    )

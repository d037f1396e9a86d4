"""The nearest-stations endpoint's cached cards (api.selectors.finder): what it writes by hand is the declared
schema; a station renamed, its hours changed or closed shows at once; the cards are never changed by a request;
a second request reads the stations' rows from the cache (one query fewer per card: only the box's)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.routers.stations import NearestOut
from api.selectors import finder
from stations.models import OpeningHours
from tests.api.conftest import V1, problem

pytestmark = pytest.mark.django_db
HERE = {"lat": 35.7171, "lng": 112.4311}


def _nearest(api, **params):
    response = api.get(f"{V1}/worker/stations/nearest/", **{**HERE, **params})
    assert response.status_code == 200, response.content
    return NearestOut.model_validate(response.json()).model_dump()


def test_the_answer_is_the_declared_schema_and_the_cards_follow_changes(api, county):
    station, far = county["station"], county["far"]
    first = _nearest(api)
    assert [s["code"] for s in first["results"]] == [station.code, far.code]
    assert first["results"][0]["open_now"] is True and first["results"][0]["town"] == "嘉峰镇"
    card = finder.station_cards([station.pk])[0]
    assert not hasattr(card, "distance_m") and not hasattr(card, "is_open_now")

    station.name = "嘉峰镇新驿站"
    station.save()
    assert _nearest(api)["results"][0]["name"] == "嘉峰镇新驿站"
    OpeningHours.objects.filter(station=station).delete()
    assert _nearest(api)["results"][0]["open_now"] is False
    far.status = "delisted"
    far.save()
    assert [s["code"] for s in _nearest(api)["results"]] == [station.code]


def test_a_second_request_reads_only_the_nearest_ids(api, county):
    _nearest(api)
    with CaptureQueriesContext(connection) as queries:
        _nearest(api, crs="wgs84", out_crs="bd09", limit=1)  # the first box holds it: one box query
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries]
    assert tables == ['"stations_station"'], tables  # the box query alone: no rows again, no towns, no hours


def test_far_from_every_station_the_whole_list_is_read_and_still_answered(api, county):
    far = _nearest(api, lat=50.0, lng=130.0, limit=2)  # no box up to 30 degrees holds two: nearest_slice's fallback
    assert [s["code"] for s in far["results"]] == [county["far"].code, county["station"].code]


def test_cards_older_than_their_time_are_read_again(api, county, monkeypatch):
    _nearest(api)
    station = county["station"]
    type(station).objects.filter(pk=station.pk).update(name="改名但没有信号")  # no post_save
    assert _nearest(api)["results"][0]["name"] != "改名但没有信号"
    monkeypatch.setattr(finder, "CARD_SECONDS", -1)
    assert _nearest(api)["results"][0]["name"] == "改名但没有信号"


def test_filters_and_bad_input_still_go_through_the_finders_rules(api, county):
    station = county["station"]
    OpeningHours.objects.filter(station=station).update(opens=dt.time(0, 0), closes=dt.time(0, 1))
    assert problem(api.get(f"{V1}/worker/stations/nearest/", **HERE, colour="red"))["errors"]["colour"]
    assert problem(api.get(f"{V1}/worker/stations/nearest/", **HERE, limit=0))["errors"]["limit"]
    assert problem(api.get(f"{V1}/worker/stations/nearest/", lat=99, lng=1))["status"] == 400
    kinds = _nearest(api, kind=station.kind)
    assert all(s["kind"] == station.kind for s in kinds["results"])

"""The finder's nearest-first page read from a growing box around the phone: the same stations, in the same
order, as ranking every station - for phones among the stations, between towns, far from all of them, and for
deep pages - and stations without coordinates still last."""

import random
from decimal import Decimal

import pytest

from stations.models import Station
from stations.selectors import public_stations
from stations.selectors.registry import nearest_first, nearest_slice
from tests.stations.factories import StationFactory, ensure_catalogues

pytestmark = pytest.mark.usefixtures("regions")


@pytest.fixture
def scattered(db):
    """Clusters of stations (a town's streets) and a thin spread between them, plus two with no position."""
    ensure_catalogues()
    rng = random.Random(7)
    centres = [(35.70, 112.20), (35.62, 112.45), (36.10, 111.90)]
    for n in range(160):
        if n % 4:
            lat, lng = centres[n % 3]
            lat, lng = lat + rng.gauss(0, 0.01), lng + rng.gauss(0, 0.01)
        else:
            lat, lng = 35.2 + rng.random() * 1.2, 111.6 + rng.random() * 1.2
        StationFactory(latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lng:.6f}"), facilities=[])
    StationFactory(latitude=None, longitude=None, facilities=[])
    StationFactory(latitude=None, longitude=None, facilities=[])
    return Station.objects.count()


@pytest.mark.parametrize(
    "origin",
    [(35.70, 112.20), (35.705, 112.21), (35.45, 112.00), (36.5, 113.5), (30.0, 120.0)],
    ids=["in a cluster", "beside one", "between towns", "outside the spread", "another province"],
)
@pytest.mark.parametrize("start,stop", [(0, 31), (30, 61), (150, 181)], ids=["page 1", "page 2", "past the end"])
def test_the_box_gives_the_stations_ranking_them_all_would(scattered, origin, start, stop):
    expected = [s.pk for s in nearest_first(public_stations(), origin)[start:stop]]
    got = [s.pk for s in nearest_slice(public_stations(), origin, start, stop)]
    assert got == expected
    assert len(got) == max(0, min(stop, scattered) - start)


def test_a_phone_among_stations_reads_only_the_first_box(scattered, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # the ids in one box, then the rows and their three prefetches
        rows = nearest_slice(public_stations(), (35.70, 112.20), 0, 31)
    assert len(rows) == 31


def test_a_page_of_a_longer_list_is_titled_by_its_place_in_it(scattered, client):
    from django.urls import reverse

    url = reverse("stations:list")
    first = client.get(url, {"lat": "35.70", "lng": "112.20"}).content.decode()
    assert "离您最近的第 1–30 个站点" in first and "共找到" not in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "第 31–60 个站点" in second
    few = client.get(url, {"q": "no such station"}).content.decode()
    assert "共找到 0 个站点" in few

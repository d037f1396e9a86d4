"""A station's star level in force, with its validity: read-only on its admin form and on its public page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.factories import JIAFENG
from tests.stations.factories import StationFactory
from tests.stations.rating_factories import give_stars


def test_the_admin_form_shows_the_star_level_in_force_with_its_validity(alice, client_for):
    station = StationFactory(region_id=JIAFENG, status="operating")
    start = timezone.localdate() - dt.timedelta(days=10)
    give_stars(station, 3, start, dt.date(start.year + 1, 12, 31))
    html = client_for(alice).get(reverse("admin:stations_station_change", args=[station.pk])).content.decode()
    assert 'id="star-level-now"' in html and "★★★" in html and "3 星" in html
    assert f"{start:%Y-%m-%d}" in html and f"{start.year + 1}-12-31" in html
    assert 'name="star_level_now"' not in html  # read-only: it changes only by an approved evaluation


def test_an_expired_star_level_is_not_shown_as_in_force(alice, client_for):
    station = StationFactory(region_id=JIAFENG, status="operating")
    give_stars(station, 2, dt.date(2020, 1, 1), dt.date(2021, 12, 31))
    html = client_for(alice).get(reverse("admin:stations_station_change", args=[station.pk])).content.decode()
    assert "暂无有效星级" in html and "★★" not in html.split('id="star-level-now"')[1][:200]


def test_the_public_page_shows_the_star_level(client, regions):
    station = StationFactory(region_id=JIAFENG, status="operating")
    give_stars(station, 4, timezone.localdate() - dt.timedelta(days=1), dt.date(2030, 12, 31))
    html = client.get(reverse("stations:detail", args=[station.code])).content.decode()
    assert 'id="station-stars"' in html and "★★★★" in html and "4 星级站点" in html
    assert "2030-12-31" in html


def test_an_unrated_station_shows_no_star_badge(client, regions):
    station = StationFactory(region_id=JIAFENG, status="operating")
    assert 'id="station-stars"' not in client.get(reverse("stations:detail", args=[station.code])).content.decode()

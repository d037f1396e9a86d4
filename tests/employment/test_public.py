"""What workers see: an expired or filled vacancy leaves the station's page by itself; the job-wish form at a
station (no account), consent required, nothing written on a mistake; the staff lists mask mobile numbers."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from employment.models import JobWish, Vacancy
from tests.employment.factories import TODAY, filed, published
from tests.stations.factories import StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(regions):
    return StationFactory()


def test_an_expired_vacancy_leaves_the_public_pages_by_itself(station, client):
    vacancy = published(station, title="针车工", valid_until=TODAY + dt.timedelta(days=3))
    page = reverse("employment:station", args=[station.code])
    assert "针车工" in client.get(page).content.decode()
    assert "针车工" in client.get(reverse("stations:detail", args=[station.code])).content.decode()
    Vacancy.objects.filter(pk=vacancy.pk).update(valid_until=TODAY - dt.timedelta(days=1))  # the date passed
    for url in (page, reverse("stations:detail", args=[station.code]), reverse("employment:list")):
        assert "针车工" not in client.get(url).content.decode(), url


def test_the_finder_shows_current_vacancies(station, client):
    published(station, title="物业保安")
    assert "物业保安" in client.get(reverse("stations:list")).content.decode()


def _wish_post(client, station, **overrides):
    data = {
        "occupation": "delivery_rider",
        "pay_expected": "5000",
        "max_daily_hours": "10",
        "mobile": "139 1234 5678",
        "name": "李四",
        "consent": "on",
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("employment:wish", args=[station.code]), data)


def test_a_wish_without_consent_is_refused_in_chinese_and_nothing_written(station, client):
    cache.clear()
    response = _wish_post(client, station, consent=None)
    assert response.status_code == 400
    assert "请同意" in response.content.decode()
    assert not JobWish.objects.exists()


def test_a_worker_files_a_wish_without_an_account(station, client):
    cache.clear()
    response = _wish_post(client, station)
    assert response.status_code == 200 and "已收到您的求职意向" in response.content.decode()
    wish = JobWish.objects.get()
    assert wish.mobile == "13912345678" and wish.station == station and wish.source == "phone"
    assert wish.valid_until == dt.date.today() + dt.timedelta(days=90)


def test_the_wish_form_is_rate_limited(station, client, settings):
    cache.clear()
    for _ in range(10):
        assert _wish_post(client, station).status_code == 200
    response = _wish_post(client, station)
    assert response.status_code == 429 and "Retry-After" in response


def test_mobile_numbers_are_masked_in_the_staff_list_and_matches(station, client_for, alice):
    wish = filed(station, mobile="13912345678")
    vacancy = published(station)
    client = client_for(alice)
    listing = client.get(reverse("admin:employment_jobwish_changelist")).content.decode()
    matches = client.get(reverse("admin:employment_vacancy_matches", args=[vacancy.pk])).content.decode()
    change = client.get(reverse("admin:employment_jobwish_change", args=[wish.pk])).content.decode()
    for page in (listing, matches, change):
        assert "13912345678" not in page and "139****5678" in page


def test_a_station_manager_reaches_only_their_stations_wishes(regions, people, client_for):
    mine = StationFactory(managers=[people["dave"]])
    other = StationFactory()
    filed(mine, name="本站")
    filed(other, name="别站")
    page = client_for(people["dave"]).get(reverse("admin:employment_jobwish_changelist")).content.decode()
    assert "本站" in page and "别站" not in page

"""A bounded fuzz of every public page: each form field and query parameter, one at a time, takes each value
from a list of hostile inputs (and a few seeded random mixes); no answer may be a 5xx or show a traceback.

The parameters come from the forms and filter sets themselves, so a new field is fuzzed without editing
this file. Run on SQLite here and on PostgreSQL in CI (NUL characters fail only there)."""

import random

import pytest
from django.test import Client
from django.urls import reverse

from membership.forms.join import JoinForm, StatusForm
from stations.filtersets import OriginForm, StationFilterSet
from stations.views.rating import StationRatingForm
from tests.factories import JIAFENG, QINSHUI
from tests.membership.factories import holding_pool
from tests.membership.test_public import application_data

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "９９",
    "x" * 5000,
    "' OR 1=1 --",
    '<script>alert(1)</script>"',
    "../../etc/passwd",
    "%00",
    "\x00",
    "a\x00b",
    "王\u200b芳\u202e",
    "🙂" * 30,
    "140521199005170158",
    "=cmd|' /C calc'!A0",
    "[]",
    "{}",
    "true",
]
SEED = 20260101
MIXES = 15


def _values():
    rng = random.Random(SEED)
    mixes = ["".join(rng.choice(HOSTILE[1:12]) for _ in range(3))[:300] for _ in range(MIXES)]
    return HOSTILE + mixes


def _check(response, where):
    assert response.status_code < 500, where
    body = response.content[:200000].decode(errors="replace")
    assert "Traceback" not in body and "Internal Server Error" not in body, where


@pytest.fixture
def station(regions):
    from stations.choices import StationStatus
    from tests.stations.factories import StationFactory

    holding_pool(QINSHUI)
    return StationFactory(region_id=JIAFENG, status=StationStatus.OPERATING, code="140521104-R-001")


def _get_pages(station):
    filters = sorted(StationFilterSet.base_filters) + sorted(OriginForm.base_fields) + ["crs", "page"]
    return [
        (reverse("stations:list"), filters),
        (reverse("stations:geojson"), filters),
        (reverse("stations:detail", args=[station.code]), sorted(OriginForm.base_fields)),
        (reverse("stations:poster", args=[station.code]), []),
        (reverse("membership:join"), ["station", "union", "event"]),
        (reverse("membership:status"), ["ref"]),
        (reverse("membership:qr"), ["station", "union", "event", "scale", "download"]),
        (reverse("membership:privacy"), []),
    ]


def test_every_public_query_parameter(station):
    client = Client()
    count = 0
    for url, params in _get_pages(station):
        for param in params:
            for value in _values():
                _check(client.get(url, {param: value}), f"GET {url} {param}={value[:30]!r}")
                count += 1
        _check(client.get(url, dict.fromkeys(params, HOSTILE[9])), f"GET {url} all params")
        for param in params:  # bytes that are not UTF-8 at all
            _check(client.get(url, QUERY_STRING=f"{param}=%ff%fe%ed%a0%80"), f"GET {url} {param}=<not UTF-8>")
    assert count > 500
    for value in _values()[:12]:
        _check(client.get(f"/stations/{value[:100]}/"), f"station code {value[:30]!r}")
        _check(client.get(f"/join/submitted/{value[:100]}/"), f"reference {value[:30]!r}")


@pytest.mark.parametrize(
    "url_name,form,base",
    [
        ("membership:join", JoinForm, application_data),
        ("membership:status", StatusForm, lambda: {"reference": "ABCD2345", "mobile": "13912345678"}),
        ("stations:rate", StationRatingForm, lambda: {"score": "4", "comment": "好", "mobile": "13912345678"}),
    ],
)
def test_every_public_form_field(station, url_name, form, base, settings):
    settings.MEMBERSHIP_JOIN_RATE_PER_IP = settings.MEMBERSHIP_STATUS_RATE_PER_IP = "100000/m"
    settings.MEMBERSHIP_JOIN_RATE_PER_ID = "100000/m"
    url = reverse(url_name, args=[station.code]) if url_name == "stations:rate" else reverse(url_name)
    client = Client()
    for field in sorted(form.base_fields) + ["unknown_field"]:
        for value in _values():
            data = {**base(), field: value}
            _check(client.post(url, data, REMOTE_ADDR="10.9.0.1"), f"POST {url} {field}={value[:30]!r}")
        _check(client.post(url, {**base(), field: [HOSTILE[3], HOSTILE[8]]}), f"POST {url} {field} twice")

"""The public forms (/join/, the casework filing form, a station's rate page): a refused submission opens on
an error summary at the top (role=alert, focusable, each error a link to its field), and every field brings
the right keyboard on a phone."""

import re

import pytest
from django.urls import reverse

from tests.casework.factories import hierarchy
from tests.factories import JIAFENG, QINSHUI
from tests.membership.factories import holding_pool, resident_id
from tests.stations.factories import StationFactory

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r'<div class="error-summary" id="error-summary" role="alert" tabindex="-1".*?</div>', re.S)


def summary_links(html: str) -> list[str]:
    match = SUMMARY.search(html)
    assert match, "no error summary"
    assert html.index('id="error-summary"') < html.index("<form"), "the summary is not above the form"
    return re.findall(r'<a href="#([^"]+)"', match.group(0))


def assert_links_reach_fields(html: str, targets: list[str]) -> None:
    for target in targets:
        assert re.search(rf'<(input|select|textarea)[^>]* id="{target}"', html), f"#{target} is no field"


@pytest.fixture
def station(regions):
    holding_pool(QINSHUI)
    return StationFactory(region_id=JIAFENG, status="operating", code="140521104-R-001")


def test_join_opens_on_a_summary_linking_to_the_missing_consent_and_the_bad_id(client, station):
    data = {"name": "王师傅", "resident_id": "110105194912310021", "mobile": "139 1234 5678", "employer": "满帮"}
    response = client.post(reverse("membership:join"), {**data, "occupation": "truck_driver"})
    html = response.content.decode()
    assert response.status_code == 400
    links = summary_links(html)
    assert {"id_resident_id", "id_consent"} <= set(links)
    assert_links_reach_fields(html, links)
    assert "请更正以下问题" in html
    assert "public/error-summary.js" in html


def test_the_casework_form_opens_on_a_summary(client, regions):
    hierarchy()
    response = client.post(reverse("casework:file"), {"category": "", "mobile": "12345"})
    html = response.content.decode()
    assert response.status_code == 400
    links = summary_links(html)
    assert {"id_category", "id_mobile", "id_consent"} <= set(links)
    assert_links_reach_fields(html, links)


def test_the_rate_page_opens_on_a_summary_with_a_link_to_the_first_star(client, station):
    response = client.post(reverse("stations:rate", args=[station.code]), {"mobile": "12345"})
    html = response.content.decode()
    assert response.status_code == 400
    links = summary_links(html)
    assert links[:2] == ["id_score_0", "id_mobile"]
    assert_links_reach_fields(html, links)


def test_a_page_that_was_not_refused_has_no_summary(client, station):
    assert 'id="error-summary"' not in client.get(reverse("membership:join")).content.decode()


def test_phones_get_the_right_keyboard_on_every_public_field(client, station):
    hierarchy()
    pages = [
        reverse("membership:join"),
        reverse("membership:status"),
        reverse("casework:file") + f"?station={station.code}",
        reverse("casework:status"),
        reverse("stations:rate", args=[station.code]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<input[^>]*>", html):
            name = re.search(r'name="([^"]+)"', tag)
            if not name or re.search(r'type="(hidden|radio|checkbox|file)"', tag):
                continue
            name = name.group(1)
            if "mobile" in name:
                assert 'type="tel"' in tag and 'inputmode="tel"' in tag, (url, tag)
            elif name in ("resident_id", "new_resident_id", "reference", "employer_credit_code"):
                # Letters can be part of these (an ID number may end in X): a text keyboard, no autocorrect.
                assert 'inputmode="text"' in tag and 'spellcheck="false"' in tag, (url, tag)
                assert 'autocapitalize="characters"' in tag, (url, tag)
            else:
                assert 'type="text"' in tag or 'type="number"' in tag, (url, tag)
    assert resident_id(QINSHUI)  # the factory makes an 18-digit number; the X case is in test_identity

"""On a phone, a refused public form opens on its error summary: the summary has the focus (so it is on
screen and read out), and each of its links puts the cursor in its field. /join/, the casework form and the
rate page; then the rate flow's thank-you page leads back to the station and the finder."""

import pytest

from tests.casework.factories import hierarchy
from tests.factories import JIAFENG, QINSHUI
from tests.membership.factories import holding_pool
from tests.stations.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def station(people):
    holding_pool(QINSHUI)
    hierarchy()
    return StationFactory(region_id=JIAFENG, name="嘉峰镇工会驿站", code="140521104-R-001", status="operating")


def refuse(page, url, submit, tmp_path, name):
    page.goto(url)
    page.click(submit)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(tmp_path / f"{name}.png"))
    assert page.evaluate("document.activeElement.id") == "error-summary", name
    summary = page.locator("#error-summary").bounding_box()
    assert -2 <= summary["y"] < 740, summary  # on screen without scrolling
    return page.locator("#error-summary a")


@pytest.mark.parametrize(
    "path, submit, first",
    [
        ("/join/", ".btn-submit", None),
        ("/cases/?station=140521104-R-001", ".btn-submit", None),
        ("/stations/140521104-R-001/rate/", "#rate-form button[type=submit]", "id_score_0"),
    ],
)
def test_a_refused_form_opens_on_its_summary_and_its_links_reach_the_fields(
    live_server, phone, station, tmp_path, path, submit, first
):
    links = refuse(phone, live_server.url + path, submit, tmp_path, path.strip("/").split("/")[0])
    assert links.count() >= 1
    target = links.first.get_attribute("href").split("#", 1)[1]
    if first:
        assert target == first
    links.first.click()
    assert phone.evaluate("document.activeElement.id") == target


def test_the_thank_you_page_leads_back(live_server, phone, station):
    phone.goto(f"{live_server.url}/stations/{station.code}/rate/")
    phone.check("#id_score_0")
    phone.fill("#id_mobile", "13912345678")
    assert phone.get_attribute("#id_mobile", "inputmode") == "tel"
    phone.click("#rate-form button[type=submit]")
    phone.wait_for_selector("#rate-done")
    phone.click("#done-station")
    phone.wait_for_selector(f"[data-code='{station.code}']")
    phone.go_back()
    phone.click("#done-finder")
    phone.wait_for_url(f"{live_server.url}/stations/")

"""The station page as alice (county staff), dave (its manager) and erin (inspector) use it at 1366×768."""

import pytest

from stations.choices import StationKind, LiuYou
from tests.browser.conftest import admin_login
from tests.stations.factories import RectificationFactory, StationFactory, ensure_catalogues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/work/notes/shots"


def test_station_page_screens(live_server, browser, people):
    ensure_catalogues()
    station = StationFactory(
        name="嘉峰镇劳动关系服务站", kind=StationKind.LABOUR_RELATIONS, managers=[people["dave"]], region_id="140521104"
    )
    station.liuyou = list(LiuYou.values)
    station.save()
    for persona in ("alice", "dave", "erin", "carol"):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page = context.new_page()
        admin_login(page, live_server, persona)
        page.goto(f"{live_server.url}/admin/stations/station/{station.pk}/change/")
        page.screenshot(path=f"{SHOTS}/stationpage-explore-{persona}.png", full_page=True)
        print(persona, page.inner_text("#content")[:3000])
        context.close()

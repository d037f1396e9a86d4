"""Each role's main pages at the two sizes people use (1366×768 at a desk, 390×844 on a phone): a screenshot
of each, saved under pytest's tmp dir (the paths are printed), and no page scrolls sideways or puts a control
outside the viewport's width."""

import pytest

from tests.browser.conftest import admin_login
from tests.factories import QINSHUI
from tests.membership.factories import ApplicationFactory, union_in
from tests.stations.factories import ActivityFactory, StationFactory, ensure_catalogues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desk": (1366, 768), "phone": (390, 844)}

# Pages per persona; the phone size is checked for the pages a person uses on a phone.
ADMIN_PAGES = {
    "alice": ["/admin/", "/admin/membership/membershipapplication/", "/admin/stations/station/", "/admin/dashboard/"],
    "carol": ["/admin/"],
    "dave": ["/admin/", "/admin/stations/activity/add/"],
    "erin": ["/admin/", "/admin/stations/evaluation/"],
}
PUBLIC_PAGES = ["/stations/", "/join/", "/stations/{code}/", "/stations/{code}/rate/", "/cases/"]

OVERFLOW = """() => {
  const width = window.innerWidth;
  const outside = [...document.querySelectorAll('a, button, input, select, textarea')]
    .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.hidden, [hidden]')
        && (r.right > width + 1 || r.left < -1)
        && !el.closest('#nav-sidebar, .leaflet-container, .skip-link, .visually-hidden'); })
    .map(el => el.outerHTML.slice(0, 80));
  return {scroll: document.documentElement.scrollWidth, width, outside};
}"""


def check(page, url, shot, shots):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(shot), full_page=True)
    shots.append(str(shot))
    found = page.evaluate(OVERFLOW)
    return [] if found["scroll"] <= found["width"] and not found["outside"] else [(url, shot.name, found)]


@pytest.mark.parametrize("size", list(SIZES))
def test_each_roles_pages_fit_without_sideways_scrolling(live_server, browser, people, tmp_path, size):
    ensure_catalogues()
    station = StationFactory(name="嘉峰镇工会驿站", managers=[people["dave"]], region_id="140521104")
    ActivityFactory(station=station)
    ApplicationFactory(union=union_in(QINSHUI))
    width, height = SIZES[size]
    problems, shots = [], []
    for persona, urls in ADMIN_PAGES.items():
        if size == "phone" and persona not in ("dave",):
            urls = urls[:1]  # staff work at a desk; the workbench must still open on a phone
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        admin_login(page, live_server, persona)
        for url in urls:
            name = f"{size}-{persona}-{url.strip('/').replace('/', '_') or 'home'}.png"
            problems += check(page, live_server.url + url, tmp_path / name, shots)
        context.close()
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    for url in PUBLIC_PAGES:
        url = url.format(code=station.code)
        name = f"{size}-worker-{url.strip('/').replace('/', '_')}.png"
        problems += check(page, live_server.url + url, tmp_path / name, shots)
    context.close()
    print("\nscreenshots:\n  " + "\n  ".join(shots))
    assert not problems, problems

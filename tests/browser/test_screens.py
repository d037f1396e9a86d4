"""Each role's main pages at the two sizes people use (1366×768 at a desk, 390×844 on a phone): a screenshot
of each, saved under pytest's tmp dir (the paths are printed), and no page scrolls sideways or puts a control
outside the viewport's width."""

import pytest

from dashboard.services.snapshots import dashboard_refresh
from tests.browser.conftest import admin_login
from tests.factories import QINSHUI
from tests.membership.factories import ApplicationFactory, union_in
from tests.stations.factories import ActivityFactory, StationFactory, ensure_catalogues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desk": (1366, 768), "phone": (390, 844)}

# Pages per persona; the phone size is checked for the pages a person uses on a phone.
ADMIN_PAGES = {
    "alice": ["/admin/", "/admin/membership/membershipapplication/", "/admin/stations/station/", "/admin/dashboard/"],
    "carol": ["/admin/", "/admin/membership/member/?area=140521"],  # the area filter open on a county
    "dave": ["/admin/", "/admin/stations/activity/day/", "/admin/stations/activity/add/"],
    "erin": ["/admin/", "/admin/stations/evaluation/"],
}
PUBLIC_PAGES = ["/stations/", "/join/", "/stations/{code}/", "/stations/{code}/rate/", "/cases/"]

OVERFLOW = """() => {
  const width = window.innerWidth;
  // A control in a box that scrolls sideways by itself (a wide table on a phone) is reached by swiping that box.
  const inScroller = el => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if ((o === 'auto' || o === 'scroll') && p.scrollWidth > p.clientWidth) return true; } return false; };
  const outside = [...document.querySelectorAll('a, button, input, select, textarea')]
    .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.hidden, [hidden]')
        && (r.right > width + 1 || r.left < -1)
        && !el.closest('#nav-sidebar, .leaflet-container, .skip-link, .visually-hidden') && !inScroller(el); })
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
    dashboard_refresh()  # the dashboard shows its stored figures, not "正在统计"
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


def test_the_station_managers_day_log_on_a_phone_and_the_city_workbench_at_a_desk(
    live_server, browser, people, tmp_path, settings
):
    """The station manager logs a day with a photo at 390×844 (the form, a refused entry with its message
    beside the field, the saved entry in the list); city staff read the counties side by side at 1366×768."""
    from tests.factories import YANGCHENG
    from tests.membership.factories import MemberFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_catalogues()
    station = StationFactory(name="嘉峰镇工会驿站", managers=[people["dave"]], region_id="140521104")
    ActivityFactory(station=station, title="上周观影")
    for county in (QINSHUI, YANGCHENG):
        MemberFactory(union=union_in(county))
        ApplicationFactory(union=union_in(county))
        StationFactory(region_id={QINSHUI: "140521104", YANGCHENG: "140522102"}[county], status="operating")
    problems, shots = [], []

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    admin_login(page, live_server, "dave")
    problems += check(page, live_server.url + "/admin/", tmp_path / "phone-dave-day-log.png", shots)
    page.select_option("#id_kind", index=1)
    page.fill("#id_participants", "-1")
    page.click(".uh-daylog-submit")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_participants_error").is_visible() and page.locator("#id_title_error").is_visible()
    shot = tmp_path / "phone-dave-day-log-refused.png"
    page.screenshot(path=str(shot), full_page=True)
    shots.append(str(shot))
    picture = tmp_path / "activity.png"
    from PIL import Image

    Image.new("RGB", (2400, 1800), (40, 120, 200)).save(picture)
    page.select_option("#id_kind", index=1)
    page.fill("#id_title", "夏季送清凉")
    page.fill("#id_participants", "45")
    page.fill("#id_visitors", "120")
    page.set_input_files("#id_photos", str(picture))
    page.click(".uh-daylog-submit")
    page.wait_for_load_state("networkidle")
    assert "夏季送清凉" in page.locator("#day-log-recent").inner_text()
    problems += check(page, page.url, tmp_path / "phone-dave-day-log-saved.png", shots)
    context.close()

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    admin_login(page, live_server, "carol")
    problems += check(page, live_server.url + "/admin/", tmp_path / "desk-carol-counties.png", shots)
    assert page.locator("#county-table tbody tr").count() >= 2
    box = page.evaluate(
        "() => { const s = document.querySelector('.uh-counties-scroll'); return [s.scrollWidth, s.clientWidth]; }"
    )
    assert box[0] <= box[1], box  # every column in view at 1366 px, no scrolling inside the table either
    context.close()
    print("\nscreenshots:\n  " + "\n  ".join(shots))
    assert not problems, problems

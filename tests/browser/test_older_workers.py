"""The public pages for older workers (适老化) at 390×844: every tap target at least 44 × 44 px on each page,
the larger-text switch kept across a reload (and applied before the first paint), the copy button beside a
reference number, the rating words beside the stars, the favicon, and 我有事找工会 from the finder and the
station page. Screenshots: /work/notes/shots/stationpage-phone-*.png."""

from pathlib import Path

import pytest

from tests.stations.factories import StationFactory, ensure_catalogues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/notes/shots")
REFERENCE = "ABCD2345"
PAGES = {
    "finder": "/stations/",
    "station": "/stations/{code}/",
    "rate": "/stations/{code}/rate/",
    "join": "/join/",
    "join-status": "/join/status/",
    "submitted": f"/join/submitted/{REFERENCE}/",
    "privacy": "/join/privacy/",
    "request": "/cases/",
    "request-status": "/cases/status/",
    "request-find": "/cases/find/",
}

SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a, button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), label:has(> input)')]
  .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
      && !el.closest('.leaflet-container, .skip-link, .visually-hidden, [hidden]')
      && (Math.round(r.height) < 44 || Math.round(r.width) < 44); })
  .map(el => { const r = el.getBoundingClientRect();
    return `${el.outerHTML.slice(0, 70)} ${Math.round(r.width)}x${Math.round(r.height)}`; })"""


@pytest.fixture
def phone390(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    yield page
    context.close()


def test_every_public_page_has_tap_targets_of_44_px_and_the_large_text_switch_persists(live_server, phone390, regions):
    ensure_catalogues()
    station = StationFactory(name="嘉峰镇工会驿站", region_id="140521104")
    problems = {}
    for name, url in PAGES.items():
        phone390.goto(live_server.url + url.format(code=station.code))
        phone390.wait_for_load_state("networkidle")
        phone390.screenshot(path=str(SHOTS / f"stationpage-phone-{name}.png"), full_page=True)
        small = phone390.evaluate(SMALL_TARGETS)
        if small:
            problems[name] = small
        assert phone390.locator("link[rel=icon]").count() == 1
    assert not problems, problems

    # The switch: larger text, kept across a reload and on the next page, before the first paint.
    phone390.goto(live_server.url + "/stations/")
    assert phone390.evaluate("getComputedStyle(document.body).zoom") in ("1", "normal")
    phone390.click("#text-size-switch")
    assert phone390.get_attribute("#text-size-switch", "aria-pressed") == "true"
    phone390.reload()
    assert phone390.evaluate("document.documentElement.classList.contains('text-large')")
    assert phone390.evaluate("getComputedStyle(document.body).zoom") == "1.25"
    phone390.goto(live_server.url + f"/stations/{station.code}/")
    phone390.screenshot(path=str(SHOTS / "stationpage-phone-station-large.png"), full_page=False)
    assert phone390.get_attribute("#text-size-switch", "aria-pressed") == "true"
    phone390.click("#text-size-switch")
    phone390.reload()
    assert not phone390.evaluate("document.documentElement.classList.contains('text-large')")


def test_the_copy_button_the_rating_words_and_the_way_to_ask_for_help(live_server, phone390, regions):
    ensure_catalogues()
    station = StationFactory(name="嘉峰镇工会驿站", region_id="140521104")
    phone390.goto(f"{live_server.url}/join/submitted/{REFERENCE}/")
    phone390.click(".copy-button")
    phone390.wait_for_selector(".copy-button[data-copied]")
    assert phone390.evaluate("navigator.clipboard.readText()") == REFERENCE
    assert phone390.inner_text(".copy-button") == "已复制"
    phone390.goto(f"{live_server.url}/stations/{station.code}/rate/")
    labels = phone390.inner_text(".rate-stars")
    for word in ("很满意", "满意", "一般", "不满意", "很不满意"):
        assert word in labels
    for url in ("/stations/", f"/stations/{station.code}/"):
        phone390.goto(live_server.url + url)
        assert phone390.locator("a[data-cases]", has_text="我有事找工会").count() >= 1

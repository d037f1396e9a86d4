"""The whole online-membership journey on a phone: a station's QR link → apply → county staff approve at their
desk → the status page shows the card number. Screenshots go to test-results/."""

import re
from pathlib import Path

import pytest

from membership.models import Member, MembershipApplication
from tests.browser.conftest import admin_login
from tests.factories import JIAFENG, QINSHUI
from tests.membership.factories import holding_pool, resident_id
from tests.stations.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("test-results")


@pytest.fixture(autouse=True)
def _fresh_join_sources():
    from membership.views import source_cache_clear

    source_cache_clear()
    yield
    source_cache_clear()


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_worker_joins_by_qr_code_and_gets_a_card_number(live_server, phone, desk, people):
    holding_pool(QINSHUI)
    station = StationFactory(region_id=JIAFENG, name="嘉峰镇工会驿站", code="140521104-R-001")
    rid = resident_id(QINSHUI)

    # The worker scans the station's QR code: the station page, then "join the union here".
    phone.goto(f"{live_server.url}/stations/{station.code}/")
    phone.click("a[data-join]")
    phone.wait_for_selector("#join-form")
    assert f"station={station.code}" in phone.url
    assert station.name in phone.inner_text("[data-source=station]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    phone.fill("#id_name", "王建军")
    phone.fill("#id_resident_id", rid.lower())
    phone.fill("#id_mobile", "+86 139-0356-1234")
    phone.select_option("#id_occupation", "truck_driver")
    phone.fill("#id_employer", "满帮货运平台")
    phone.check("#id_consent")
    shot(phone, "join-1-form")
    phone.click("#join-form button[type=submit]")

    phone.wait_for_selector("#reference")
    reference = phone.get_attribute("#reference", "data-reference")
    assert re.fullmatch(r"[A-Z2-9]{8}", reference)
    shot(phone, "join-2-submitted")
    application = MembershipApplication.objects.get(reference=reference)
    assert (application.source_station_id, application.county_id, application.mobile) == (
        station.pk,
        QINSHUI,
        "13903561234",
    )

    # County staff see it at the head of their queue and approve it.
    admin_login(desk, live_server, "alice")
    desk.goto(f"{live_server.url}/admin/membership/membershipapplication/")
    desk.wait_for_selector("#result_list")
    assert reference in desk.inner_text("#result_list tbody tr:first-child")
    assert rid not in desk.content()  # masked in the queue
    shot(desk, "join-3-queue")
    desk.click(f"#result_list a:text('{reference}')")
    desk.wait_for_selector("input[name=_approve]")
    shot(desk, "join-4-review")
    desk.click("input[name=_approve]")
    desk.wait_for_selector(".messagelist .success")
    member = Member.objects.get(resident_id=rid)
    assert member.card_number in desk.inner_text(".messagelist")
    assert member.union.is_holding_pool

    # The worker checks the decision on the phone: the card number is there.
    phone.click("#check-status")
    phone.fill("#id_mobile", "13903561234")
    phone.click("#status-form button[type=submit]")
    phone.wait_for_selector("#card-number")
    assert phone.inner_text("#card-number").strip() == member.card_number
    assert member.card_number.startswith(QINSHUI)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "join-5-approved")

"""The station manager checks people in at the door on a phone: a typed code (the camera's fallback), a second
scan of the same ticket recognised, a scan made offline kept on the phone and sent when the network is back -
each person counted once."""

import pytest
from playwright.sync_api import expect

from outreach.models import CheckIn
from outreach.services import signup_create
from tests.browser.conftest import admin_login
from tests.outreach import factories as f
from tests.stations.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_station_manager_checks_in_on_a_phone(live_server, phone, people):
    event = f.event(station=StationFactory(name="嘉峰镇工会驿站", managers=[people["dave"]]), title="周五职工观影夜")
    first = signup_create(event=event, name="张师傅", mobile="13912345678", consent=True)
    second = signup_create(event=event, name="李师傅", mobile="13912345679", consent=True)
    phone.set_viewport_size({"width": 390, "height": 844})
    admin_login(phone, live_server, "dave")
    phone.goto(f"{live_server.url}/admin/outreach/event/{event.pk}/checkin/")
    phone.fill("#code", first.code)
    phone.press("#code", "Enter")
    phone.wait_for_selector("#result.is-ok")
    assert "张师傅" in phone.inner_text("#result") and phone.inner_text("#checked-in") == "1"
    phone.fill("#code", first.code.lower())
    phone.press("#code", "Enter")
    phone.wait_for_selector("#result.is-duplicate")
    assert "重复" in phone.inner_text("#result")

    phone.context.set_offline(True)
    phone.fill("#code", second.code)
    phone.press("#code", "Enter")
    phone.wait_for_selector("#result.is-queued")
    assert phone.inner_text("#queued") == "1"
    phone.screenshot(path="/work/notes/shots/outreach-checkin-offline.png")
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("#checked-in")).to_have_text("2")
    expect(phone.locator("#queued")).to_have_text("0")
    phone.screenshot(path="/work/notes/shots/outreach-checkin.png")
    assert event.signups.filter(checked_in_at__isnull=False).count() == 2
    assert CheckIn.objects.filter(event=event, result="ok").count() == 2

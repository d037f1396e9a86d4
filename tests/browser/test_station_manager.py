"""A station manager logs an activity in the browser and cannot reach another station's logs."""

import datetime as dt

import pytest

from stations.models import Activity
from tests.browser.conftest import admin_login
from tests.stations.factories import ActivityFactory, StationFactory, ensure_catalogues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_station_manager_logs_an_activity_and_cannot_reach_another_station(live_server, desk, people):
    ensure_catalogues()
    mine = StationFactory(name="嘉峰镇工会驿站", managers=[people["dave"]])
    theirs = ActivityFactory(station=StationFactory(name="龙港镇工会驿站"), title="别站的活动")

    admin_login(desk, live_server, "dave")
    desk.goto(f"{live_server.url}/admin/stations/activity/add/")
    # The station is an autocomplete: it offers only the manager's own stations.
    desk.click("#id_station + .select2 .select2-selection")
    desk.wait_for_selector(".select2-results__option:has-text('嘉峰镇工会驿站')")
    offered = desk.locator(".select2-results__option").all_inner_texts()
    assert offered == ["嘉峰镇工会驿站"]
    desk.click(".select2-results__option:has-text('嘉峰镇工会驿站')")
    desk.select_option("#id_kind", label="送清凉")
    desk.fill("#id_date", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    desk.fill("#id_title", "高温慰问送清凉")
    desk.fill("#id_participants", "36")
    desk.fill("#id_suggestions", "2")
    desk.screenshot(path="test-results/manager-activity-form.png", full_page=True)
    desk.click("input[name=_save]")
    desk.wait_for_url("**/admin/stations/activity/")
    assert "高温慰问送清凉" in desk.content()
    assert "别站的活动" not in desk.content()
    assert Activity.objects.get(title="高温慰问送清凉").station == mine

    desk.goto(f"{live_server.url}/admin/stations/activity/{theirs.pk}/change/")
    assert "/admin/stations/activity/" not in desk.url or "change" not in desk.url
    assert "别站的活动" not in desk.content()

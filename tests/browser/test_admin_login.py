import pytest

from tests.browser.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_staff_log_in_and_see_the_chinese_admin_index(live_server, desk, people):
    admin_login(desk, live_server, "alice")
    desk.wait_for_selector("#site-name")
    assert "工会服务站管理系统" in desk.inner_text("#site-name")
    assert "工会组织" in desk.content()
    assert desk.locator("html").get_attribute("lang") == "zh-hans"
    desk.screenshot(path="test-results/admin-index-alice.png", full_page=True)

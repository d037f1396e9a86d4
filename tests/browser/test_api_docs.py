"""The API's docs page in a browser: Swagger UI from our own static files under the site's Content-Security-
Policy, every operation listed with its Chinese summary; root makes a token in the admin and reads it once."""

import os
import re

import pytest

from tests.browser.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("UNIONHUB_SHOTS", "test-results")


def test_the_docs_page_lists_every_operation_in_chinese(live_server, desk):
    desk.set_viewport_size({"width": 1366, "height": 768})
    errors = []
    desk.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    desk.goto(f"{live_server.url}/api/v1/docs/")
    desk.wait_for_selector(".opblock-summary-description")
    summaries = desk.locator(".opblock-summary-description").all_inner_texts()
    assert "附近的站点" in summaries and "审核入会申请" in summaries and "微信登录" in summaries
    assert len(summaries) >= 40
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    desk.screenshot(path=f"{SHOTS}/api-docs.png")


def test_root_makes_a_token_and_sees_the_secret_once(live_server, desk, people):
    desk.set_viewport_size({"width": 1366, "height": 768})
    admin_login(desk, live_server, "root")
    desk.goto(f"{live_server.url}/admin/api/apitoken/add/")
    desk.select_option("#id_user", label=people["alice"].get_full_name() or "alice")
    desk.fill("#id_name", "省级平台夜间拉取")
    desk.click("input[name=_save]")
    message = desk.locator(".messagelist").inner_text()
    secret = re.search(r"uh_[A-Za-z0-9_\-]{30,}", message).group(0)
    assert "只显示这一次" in message
    desk.screenshot(path=f"{SHOTS}/api-token-created.png")
    desk.goto(f"{live_server.url}/admin/api/apitoken/")
    listing = desk.content()
    assert secret[:10] in listing and secret not in listing


def test_the_events_jobs_and_deletions_are_documented(live_server, desk):
    desk.set_viewport_size({"width": 1366, "height": 768})
    desk.goto(f"{live_server.url}/api/v1/docs/")
    desk.wait_for_selector(".opblock-summary-description")
    summaries = desk.locator(".opblock-summary-description").all_inner_texts()
    for summary in ("报名参加活动", "我的入场凭证", "附近的岗位", "登记求职意向", "续期我的求职意向"):
        assert summary in summaries, summary
    assert any(s.startswith("某时间以来的删除") for s in summaries)
    tag = desk.locator("h3.opblock-tag", has_text="职工：活动")
    tag.scroll_into_view_if_needed()
    desk.screenshot(path=f"{SHOTS}/api2-docs-events.png")
    desk.locator("h3.opblock-tag", has_text="职工：就业").scroll_into_view_if_needed()
    desk.screenshot(path=f"{SHOTS}/api2-docs-jobs.png")

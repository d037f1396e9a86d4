"""A worker applies for hardship assistance on a phone (390 x 844): a wrong ID number and a fake document are
refused beside their fields, then the application goes through with a photo; the reference page, then the
status page with reference + mobile. County staff then see it in the admin list with its document.
Screenshots go to /work/notes/shots/hsapply-*.png when that folder exists, else under pytest's tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardship.models import Household
from tests.browser.conftest import admin_login
from tests.factories import UserFactory
from tests.hardship.factories import criteria, grassroots, resident_id
from unionhub.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def shots(tmp_path):
    notes = Path("/work/notes/shots")
    directory = notes if notes.is_dir() else tmp_path

    def take(page, name, full_page=False):
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(directory / f"hsapply-{name}.png"), full_page=full_page)

    return take


def test_a_worker_applies_from_a_phone(browser, live_server, regions, shots, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    criteria("140521")
    union = grassroots("140521")
    fake = tmp_path / "诊断.png"
    fake.write_bytes(b"<html>not a photo</html>")
    photo = tmp_path / "诊断证明.png"
    photo.write_bytes(PNG)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/help/apply/")
    assert "申请困难帮扶" in page.title()
    shots(page, "01-phone-form")
    page.select_option("#id_union", str(union.pk))
    page.fill("#id_head_name", "郭桂兰")
    page.fill("#id_resident_id", "140521198001010000")  # wrong check digit
    page.fill("#id_mobile", "13912345678")
    page.fill("#id_people_count", "3")
    page.fill("#id_income_per_head", "600")
    page.select_option("#id_cause", "illness")
    page.fill("#id_account", "丈夫重病住院，家中只有我一人打零工。")
    page.set_input_files("#id_evidence", str(fake))
    page.check("#id_consent")
    page.click("button[type=submit]")
    assert "身份证" in page.locator("#resident_id-error").inner_text()
    assert "不是照片" in page.locator("#evidence-error").inner_text()
    page.locator("#resident_id-error").scroll_into_view_if_needed()
    shots(page, "02-phone-errors")
    assert not Household.objects.exists()
    page.fill("#id_resident_id", resident_id("140521"))
    page.set_input_files("#id_evidence", str(photo))
    page.click("button[type=submit]")
    reference = page.locator("#reference").inner_text().strip()
    home = Household.objects.get()
    assert reference == home.reference and home.evidence.count() == 1
    shots(page, "03-phone-reference")
    page.click("text=查询申请进度")
    page.fill("#id_mobile", "13912345678")
    page.click("button[type=submit]")
    assert "▶ 已申请" in page.locator("#steps").inner_text() or "▶" in page.locator("#steps").inner_text()
    shots(page, "04-phone-status")
    context.close()

    staff = UserFactory(username="wangli", role=Role.COUNTY_STAFF, region="140521", first_name="丽", last_name="王")
    staff.set_password("pw")
    staff.save()
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
    admin = desk.new_page()
    admin_login(admin, live_server, "wangli")
    admin.goto(f"{live_server.url}/admin/hardship/household/?source__exact=worker")
    assert "郭桂兰" in admin.content() and "职工手机申请" in admin.content()
    admin.goto(f"{live_server.url}/admin/hardship/household/{home.pk}/change/")
    assert reference in admin.content() and "查看照片" in admin.content()
    admin.locator("#evidence-group").scroll_into_view_if_needed()
    shots(admin, "05-admin-evidence")
    desk.close()

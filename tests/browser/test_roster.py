"""County staff import a roster in the browser: upload, preview with an error, confirm the valid rows, result."""

import pytest

from membership.models import Member
from tests.browser.conftest import admin_login
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_staff_upload_preview_confirm_and_see_the_result(live_server, desk, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    union_in(QINSHUI, name="嘉峰煤矿工会")
    good = [resident_id() for _ in range(3)]
    roster = tmp_path / "花名册.csv"
    lines = ["姓名,身份证号,手机号,所属工会,职业"]
    lines += [f"张伟{'一二三'[i]},{rid},1380000000{i},嘉峰煤矿工会,矿工" for i, rid in enumerate(good)]
    lines += ["李娜,1.40521199001011E+17,13800000009,嘉峰煤矿工会,矿工"]
    roster.write_text("\n".join(lines) + "\n", encoding="gbk")

    admin_login(desk, live_server, "alice")
    desk.goto(f"{live_server.url}/admin/membership/rosterimport/")
    assert desk.locator("a[href$='/rosterimport/template.xlsx']").count() == 1
    desk.click(".object-tools a.addlink")
    desk.wait_for_selector("input[name=file]")
    desk.set_input_files("input[name=file]", str(roster))
    desk.screenshot(path="test-results/roster-upload.png", full_page=True)
    desk.click("input[name=_upload]")
    desk.wait_for_selector("#roster-counts")
    assert desk.inner_text("[data-count=created]") == "3"
    assert desk.inner_text("[data-count=errors]") == "1"
    assert "E+17" in desk.inner_text("#roster-errors")
    desk.screenshot(path="test-results/roster-preview.png", full_page=True)

    desk.check("input[name=mode][value=valid]")
    desk.click("input[name=_confirm]")
    desk.wait_for_selector("#roster-outcome")
    desk.screenshot(path="test-results/roster-result.png", full_page=True)
    assert sorted(Member.objects.values_list("resident_id", flat=True)) == sorted(good)

"""Hardship assistance in a real browser: county staff file a household in the admin → record the home visit
and the democratic review → start the public notice, which a phone shows with the name masked → (the notice
runs out) approve → a quarterly cycle is computed and approved → the payment is recorded as handed out.
Screenshots (1366 x 768 for the admin, 390 x 844 for the phone) go to /work/notes/shots/ when that folder
exists, else under pytest's tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from hardship.models import Cycle, Entitlement, Household
from tests.browser.conftest import admin_login
from tests.factories import UserFactory
from tests.hardship.factories import criteria, fund, grassroots, resident_id
from unionhub.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path):
    notes = Path("/work/notes/shots")
    directory = notes if notes.is_dir() else tmp_path

    def take(page, name):
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(directory / f"hardship-{name}.png"), full_page=False)

    return take


def test_from_application_to_handout(browser, live_server, regions, shots):
    today = timezone.localdate()
    criteria("140521", year=today.year)
    union = grassroots("140521")
    money = fund(amount=None, name="中央财政职工困难帮扶资金")
    from hardship.services import fund_allocate

    fund_allocate(fund=money, amount="10000")
    staff = UserFactory(username="wangli", role=Role.COUNTY_STAFF, region="140521", first_name="丽", last_name="王")
    staff.set_password("pw")
    staff.save()
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = desk.new_page()
    admin_login(page, live_server, "wangli")
    page.goto(f"{live_server.url}/admin/hardship/household/add/")
    page.select_option("#id_union", str(union.pk))
    page.fill("#id_head_name", "郭桂兰")
    page.fill("#id_resident_id", "140521198001010000")  # wrong check digit: refused beside the field
    page.select_option("#id_layer", "deep")
    page.select_option("#id_cause", "illness")
    page.fill("#id_people_count", "3")
    page.fill("#id_annual_income", "16800")
    page.fill("#id_bank_name", "沁水县农村商业银行")
    page.fill("#id_bank_account", "6221800000001234")
    page.click("input[name=_save]")
    assert "身份证" in page.locator(".field-resident_id .errorlist").inner_text()
    shots(page, "01-bad-id")
    page.fill("#id_resident_id", resident_id("140521"))
    page.click("input[name=_save]")
    household = Household.objects.get()
    step_url = f"{live_server.url}/admin/hardship/household/{household.pk}/step/"
    for step, record in (
        ("visit", "入户走访：丈夫患重病，家中两名子女上学。"),
        ("review_pass", "职工代表民主评议通过。"),
    ):
        page.goto(step_url)
        page.select_option("#id_step", step)
        page.fill("#id_record", record)
        page.click("input[type=submit]")
    page.goto(step_url)
    page.select_option("#id_step", "notice")
    page.fill("#id_days", "3")
    page.click("input[type=submit]")
    assert "公示期至少 5 天" in page.content()
    shots(page, "02-notice-too-short")
    page.fill("#id_days", "7")
    page.click("input[type=submit]")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    worker = phone.new_page()
    worker.goto(f"{live_server.url}/help/notice/?county=140521")
    text = worker.locator("main").inner_text()
    assert "郭*兰" in text and "郭桂兰" not in text and household.resident_id not in text
    shots(worker, "03-phone-notice")
    phone.close()

    Household.objects.filter(pk=household.pk).update(notice_ends=today - dt.timedelta(days=1))  # seven days later
    page.goto(step_url)
    page.select_option("#id_step", "approve")
    page.click("input[type=submit]")
    household.refresh_from_db()
    assert household.status == "on_file"
    shots(page, "04-on-file")

    from hardship.models import Programme

    programme = Programme.objects.create(county_id="140521", name="季度慰问", amount="300", fund=money, in_kind=True)
    cycle = Cycle.objects.create(
        programme=programme,
        name=f"{today.year}年第四季度",
        period_start=today - dt.timedelta(days=1),
        period_end=today + dt.timedelta(days=60),
    )
    page.goto(f"{live_server.url}/admin/hardship/cycle/")
    page.check(f"input[name=_selected_action][value='{cycle.pk}']")
    page.select_option("select[name=action]", "compute_selected")
    page.click("button[name=index]")
    assert Cycle.objects.get().status == "proposed"
    page.goto(f"{live_server.url}/admin/hardship/cycle/")
    page.check(f"input[name=_selected_action][value='{cycle.pk}']")
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    assert Cycle.objects.get().status == "approved"
    shots(page, "05-cycle-approved")
    entitlement = Entitlement.objects.get()
    page.goto(f"{live_server.url}/admin/hardship/entitlement/{entitlement.pk}/mark/")
    page.select_option("#id_status", "paid")
    page.click("input[type=submit]")
    assert "签收" in page.locator(".errorlist").inner_text()
    page.fill("#id_receipt_signed_by", "郭桂兰")
    page.click("input[type=submit]")
    assert Entitlement.objects.get().status == "paid"
    page.goto(f"{live_server.url}/admin/hardship/household/figures/?year={today.year}")
    assert "300.00" in page.locator("#money-total").inner_text()
    shots(page, "06-figures")
    page.goto(f"{live_server.url}/admin/hardship/household/{household.pk}/file/")
    assert "季度慰问" in page.locator("#assistance").inner_text()
    shots(page, "07-worker-file")
    desk.close()

"""The money side of hardship in a real browser (1366 x 768): county staff upload the bank's result file of an
approved cycle - a bad row refused with its row and column, then the good file previewed and confirmed -,
open the auditor's workbook form, and the dashboard draws the hardship charts. Screenshots go to
/work/notes/shots/hspay-*.png when that folder exists, else under pytest's tmp_path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard.services.snapshots import dashboard_refresh
from hardship.models import Entitlement
from hardship.services import cycle_approve, cycle_compute, cycle_create
from tests.browser.conftest import admin_login
from tests.factories import UserFactory
from tests.hardship.factories import fund, household, programme
from tests.hardship.test_payment_results import ACCOUNTS, GOOD, csv_gbk, xlsx
from unionhub.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bank_results_audit_and_dashboard(browser, live_server, regions, tmp_path):
    notes = Path("/work/notes/shots")
    directory = notes if notes.is_dir() else tmp_path

    def shot(page, name):
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(directory / f"hspay-{name}.png"))

    for name, account in ACCOUNTS.items():
        household(head_name=name, bank_account=account, layer="deep" if name != "王强" else "relative")
    year = dt.date.today().year
    cycle = cycle_create(
        programme=programme(fund_=fund(amount=Decimal("1000.00"))),
        name=f"{year}年第三季度",
        period_start=dt.date(year, 7, 1),
        period_end=dt.date(year, 9, 30),
    )
    cycle = cycle_approve(cycle=cycle_compute(cycle=cycle))
    staff = UserFactory(username="wangli", role=Role.COUNTY_STAFF, region="140521", first_name="丽", last_name="王")
    staff.set_password("pw")
    staff.save()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    admin_login(page, live_server, "wangli")
    page.goto(f"{live_server.url}/admin/hardship/cycle/{cycle.pk}/results/")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_gbk([[1, "张建国", ACCOUNTS["张建国"], "299.99", "成功", ""]]))
    page.set_input_files("#id_file", str(bad))
    page.click("#results-upload input[type=submit]")
    assert "金额 299.99 元与该账号应发的 300.00 元不符" in page.inner_text("#import-errors")
    shot(page, "01-bad-file")
    good = tmp_path / "回盘.xlsx"
    good.write_bytes(xlsx(GOOD))
    page.set_input_files("#id_file", str(good))
    page.click("#results-upload input[type=submit]")
    assert page.inner_text("#n-failed") == "1"
    shot(page, "02-preview")
    page.click("#results-confirm input[type=submit]")
    page.wait_for_selector("ul.messagelist li")  # the page the confirmation redirects to, loaded
    assert "已登记：成功 1 笔，失败 1 笔，退回 1 笔" in page.content()
    shot(page, "03-recorded")
    assert Entitlement.objects.filter(status="paid").count() == 1
    page.goto(f"{live_server.url}/admin/hardship/fund/audit/")
    shot(page, "04-audit-form")
    dashboard_refresh()  # the dashboard shows what its refresh job stored (every staff region's figures)
    page.goto(f"{live_server.url}/admin/dashboard/?year={year}#hardship")
    page.wait_for_function("document.getElementById('chart-hardship-quarters').width > 0")
    page.locator("#hardship").scroll_into_view_if_needed()
    shot(page, "05-dashboard")
    context.close()

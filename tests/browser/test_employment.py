"""A worker at a station sees its vacancies on a phone and files a job wish without an account; a missing
consent is shown beside the field first. Screenshots for the note (390 x 844)."""

import os

import pytest

from tests.employment.factories import published
from tests.factories import ensure_regions
from tests.stations.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/work/notes/shots"


def _shot(page, name):
    if os.path.isdir(SHOTS):
        page.screenshot(path=f"{SHOTS}/employment-{name}.png", full_page=True)


def test_a_worker_sees_the_vacancies_and_files_a_job_wish_on_a_phone(live_server, browser):
    ensure_regions()
    station = StationFactory(name="嘉峰镇工会驿站", code="140521104-R-001")
    published(station, title="外卖骑手", posts=200, pay_basis="order", pay_min=6, pay_max=9, monthly_estimate=6500)
    published(station, title="针车工", posts=10, occupation="employee")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    phone = context.new_page()
    phone.goto(f"{live_server.url}/stations/{station.code}/")
    assert "外卖骑手" in phone.inner_text("#station-jobs") and "针车工" in phone.inner_text("#station-jobs")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(phone, "station-page")
    phone.click("#station-jobs a[data-wish]")
    phone.wait_for_selector("#wish-form")
    phone.select_option("#id_occupation", "delivery_rider")
    phone.fill("#id_pay_expected", "6000")
    phone.fill("#id_max_daily_hours", "10")
    phone.fill("#id_mobile", "139 1234 5678")
    phone.click("#wish-form button[type=submit]")
    assert "请同意" in phone.inner_text("[data-field=consent]")  # beside the field, nothing written
    _shot(phone, "wish-consent")
    phone.check("#id_consent")
    phone.click("#wish-form button[type=submit]")
    phone.wait_for_selector("#wish-done")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    font = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.job-title')).fontSize)")
    assert font >= 20  # readable for older workers
    _shot(phone, "wish-done")
    context.close()

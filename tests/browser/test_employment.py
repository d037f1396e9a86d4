"""A worker at a station sees its vacancies on a phone and files a job wish without an account; a missing
consent is shown beside the field first. Screenshots for the note (390 x 844)."""

import os

import pytest

from membership.models import PersonalDataReveal
from tests.browser.conftest import admin_login
from tests.employment.factories import filed, minimum_wage, posted, published
from tests.factories import ensure_regions
from tests.outreach.factories import employer
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


def test_county_staff_check_a_registered_employers_vacancy_and_see_the_matches(live_server, browser, people):
    """alice (county staff) at 1366 x 768: the 监督核查 page names the employer from the register; after the check
    the ranked wishes show masked mobiles, and the wish's mobile is revealed only through the logged page."""
    station = StationFactory(name="嘉峰镇工会驿站", code="140521104-R-002")
    registered = employer(name="沁水县嘉峰某某物流有限公司")
    minimum_wage()
    vacancy = posted(station, title="外卖骑手", employer=registered, employer_name="", employer_credit_code="")
    filed(station, name="王师傅", mobile="13912345678", pay_expected=6000, max_daily_hours=10)
    filed(station, name="李大姐", mobile="13812345678", pay_expected=5000, max_daily_hours=6)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
    desk = context.new_page()
    admin_login(desk, live_server, "alice")
    desk.goto(f"{live_server.url}/admin/employment/vacancy/{vacancy.pk}/check/")
    assert "已在用人单位名录中" in desk.inner_text("#employer")
    if os.path.isdir(SHOTS):
        desk.screenshot(path=f"{SHOTS}/jobs2-check.png")
    desk.check("#id_good_standing")
    desk.click("#content form button[type=submit]")
    desk.goto(f"{live_server.url}/admin/employment/vacancy/{vacancy.pk}/matches/")
    text = desk.inner_text("#content")
    assert "王师傅" in text and "139****5678" in text and "13912345678" not in text
    # 王 40 + 30 + 20 (7000 ≥ 6000) + 10 (8 ≤ 10 hours) = 100; 李 40 + 30 + 20 + 0 (8 > 6 hours) = 90
    assert text.index("王师傅") < text.index("李大姐")
    if os.path.isdir(SHOTS):
        desk.screenshot(path=f"{SHOTS}/jobs2-matches.png")
    wish = vacancy.station.job_wishes.get(name="王师傅")
    desk.goto(f"{live_server.url}/admin/employment/jobwish/{wish.pk}/reveal/")
    desk.click("#content form [type=submit]")
    assert "13912345678" in desk.inner_text("#content")
    assert PersonalDataReveal.objects.filter(subject="jobwish").count() == 1
    context.close()

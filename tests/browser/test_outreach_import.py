"""The employer list import's preview (errors by row and column) and the coverage page, on a desk-sized screen."""

import pytest
from django.urls import reverse

from outreach.services import employer_list_create
from outreach.services.employer_check import employer_list_check
from tests.browser.conftest import admin_login
from tests.outreach import factories as f
from unionhub.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/work/notes/shots"


def test_the_preview_and_the_coverage_page(browser, live_server, alice, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    rows = [f"{f.code(300 + i)},沁水县示例{i}有限公司,嘉峰镇,酒类酿造,{20 + i},否" for i in range(12)]
    rows += ["91140521MA0000001X,乙公司,嘉峰镇,,5,是", f"{f.code(400)},丙公司,火星镇,,五,否"]
    content = "\n".join(["沁水县企业名录", "统一社会信用代码,企业名称,乡镇,行业,职工人数,是否平台企业", *rows])
    batch = employer_list_create(
        file=SimpleUploadedFile("名录.csv", content.encode()), by=alice, county=Region.objects.get(code="140521")
    )
    batch = employer_list_check(batch=batch)
    for i in range(5):
        f.employer(workers=30 + i)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    admin_login(page, live_server, "alice")
    page.goto(live_server.url + reverse("admin:outreach_employerimport_change", args=[batch.pk]))
    assert page.locator("#import-problems").is_visible() and page.locator("#import-confirm").is_visible()
    page.screenshot(path=f"{SHOTS}/outreach2-import-preview.png")
    page.goto(live_server.url + reverse("admin:outreach_employer_coverage"))
    assert page.locator("#coverage").is_visible()
    page.screenshot(path=f"{SHOTS}/outreach2-coverage.png")
    context.close()

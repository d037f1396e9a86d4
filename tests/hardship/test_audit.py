"""The auditor's workbook: funds reconciled with a check row, cycles with households and amounts, every payment
(masked without the reveal permission, logged with it), money as money cells; scoped (the city picks its
counties, a county its own, another county's is refused). Figures by hand: a fund of 1,000, three households
of 300 approved (900 out), one payment returned (300 back): the balance is 400."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hardship.services import cycle_approve, cycle_compute, cycle_create, entitlement_mark
from hardship.services.audit import audit_workbook
from membership.models import PersonalDataReveal
from tests.hardship.factories import fund, household, programme
from unionhub.money import MONEY_FORMAT

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year  # the ledger's movements are dated today


@pytest.fixture
def ledger(regions):
    for n, name in enumerate(("张建国", "李红梅", "王强"), start=1):
        household(head_name=name, bank_account=f"622848000000000000{n}")
    household("140522", head_name="阳城户", bank_account="6228480000000000099")
    money = fund(amount=Decimal("1000.00"))
    cycle = cycle_create(
        programme=programme(fund_=money),
        name="第三季度",
        period_start=dt.date(YEAR, 7, 1),
        period_end=dt.date(YEAR, 9, 30),
    )
    cycle = cycle_approve(cycle=cycle_compute(cycle=cycle))
    returned = cycle.entitlements.get(household__head_name="王强")
    entitlement_mark(entitlement=returned, status="returned", reason="账户已销户")
    entitlement_mark(entitlement=cycle.entitlements.get(household__head_name="张建国"), status="paid")
    return cycle


def _sheets(content):
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book.worksheets}, book


def test_the_funds_reconcile_with_a_check_row(ledger, carol):
    sheets, book = _sheets(
        audit_workbook(user=carol, county="140521", start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    )
    assert list(sheets) == ["资金", "项目与批次", "发放"]
    funds = sheets["资金"]
    assert funds[0][0] == "困难职工帮扶资金审计表" and funds[1][3] == "期初余额"
    row, check = funds[2], funds[3]
    assert row[:2] == ["中央财政职工困难帮扶资金", "中央财政帮扶资金"]
    assert row[3:] == [0, 1000, 900, 300, 400, 400, "相符"]
    assert check[0].startswith("核对") and check[3:] == [0, 1000, 900, 300, 400, 400, "相符"]
    assert book["资金"].cell(row=3, column=5).number_format == MONEY_FORMAT
    cycles = sheets["项目与批次"]
    assert cycles[2][:3] == ["季度慰问", "中央财政帮扶资金", "第三季度"]
    assert cycles[2][6:] == [3, 3, 600, 300, 300, 0]  # given = approved or paid; the returned one counted apart
    payments = sheets["发放"][2:]
    assert [(p[1], p[6], p[7], p[8]) for p in payments] == [
        ("张建国", "6228***********0001", 300, "已发放"),
        ("李红梅", "6228***********0002", 300, "已审批"),
        ("王强", "6228***********0003", 300, "已退回"),
    ]
    assert "阳城户" not in repr(sheets) and PersonalDataReveal.objects.count() == 0


def test_a_quarter_before_the_movements_opens_and_closes_at_nought(ledger, alice):
    content = audit_workbook(user=alice, county="140521", start=dt.date(YEAR - 1, 1, 1), end=dt.date(YEAR - 1, 3, 31))
    sheets, _book = _sheets(content)
    assert sheets["资金"][2][3:] == [0, 0, 0, 0, 0, 0, "相符"] and sheets["发放"][2:] == []


def test_the_county_reveals_and_is_logged_another_county_is_refused(ledger, alice, bob, carol, client_for):
    url = reverse("admin:hardship_fund_audit")
    response = client_for(alice).get(url, {"county": "140521", "year": YEAR})
    assert response.status_code == 200 and response["Content-Disposition"].endswith(f'-{YEAR}1231.xlsx"')
    sheets, _book = _sheets(response.content)
    assert "6228480000000000001" in repr(sheets["发放"]) and PersonalDataReveal.objects.count() == 1
    page = client_for(bob).get(url, {"county": "140521", "year": YEAR})
    assert page.status_code == 200 and "Content-Disposition" not in page and "errorlist" in page.content.decode()
    form = client_for(carol).get(url, {"year": YEAR}).content.decode()
    assert 'value="140521"' in form and 'value="140522"' in form  # the city picks among its counties
    figures = client_for(carol).get(reverse("admin:hardship_household_figures")).content.decode()
    assert url in figures and "资金审计表" in figures

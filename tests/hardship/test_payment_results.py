"""The bank's result file: found below the bank's title rows (XLSX, GBK CSV), each row marked paid / failed /
returned through the funds services (money back to the fund), the same file twice changes nothing; a bad
file (unknown account, another amount, another cycle's row, an unknown result) names its row and column
and writes nothing. Figures by hand: three households of 300 from a fund of 1,000."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from hardship.models import Entitlement, FundMovement, PaymentImport
from hardship.services import (
    cycle_approve,
    cycle_compute,
    cycle_create,
    payment_results_apply,
    payment_results_confirm,
    payment_results_stage,
)
from hardship.services import payment_results as results_module
from hardship.tasks.payments import payment_results_apply as results_task
from tests.hardship.factories import fund, household, programme
from unionhub.models import Job

pytestmark = pytest.mark.django_db

ACCOUNTS = {"张建国": "6228480000000000001", "李红梅": "6228480000000000002", "王强": "6228480000000000003"}
TITLE = [["中国农业银行批量代发处理结果明细"], ["批次号：20260715001", None, "交易日期：2026-07-15"], []]
HEADER = ["序号", "户名", "账号", "金额(元)", "处理结果", "失败原因"]


def _cycle(prog, name="2026年第三季度", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30)):
    made = cycle_create(programme=prog, name=name, period_start=start, period_end=end)
    return cycle_approve(cycle=cycle_compute(cycle=made))


@pytest.fixture
def paid_cycle(regions):
    """Three households of 300 yuan approved: the fund of 1,000 holds 100 after."""
    for name, account in ACCOUNTS.items():
        household(head_name=name, bank_account=account)
    money = fund(amount=Decimal("1000.00"))
    cycle = _cycle(programme(fund_=money))
    money.refresh_from_db()
    assert money.balance == Decimal("100.00")
    return cycle


def xlsx(rows, header=HEADER, title=TITLE) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in [*title, header, *rows]:
        sheet.append(line)
    sheet.merge_cells("A1:F1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_gbk(rows, header=HEADER) -> bytes:
    lines = ["农行代发结果,,,,,", ",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    return "\r\n".join(lines).encode("gbk")


GOOD = [
    [1, "张建国", ACCOUNTS["张建国"], 300, "成功", ""],
    [2, "李红梅", ACCOUNTS["李红梅"], "300.00", "失败", "账户已冻结"],
    [3, "王强", ACCOUNTS["王强"], 300.0, "退回", ""],
    ["合计", None, None, 900, None, None],
]


def _statuses(cycle):
    return dict(cycle.entitlements.values_list("household__head_name", "status"))


def test_a_bank_file_marks_paid_failed_and_returned_with_the_money_back(paid_cycle, alice):
    staged, errors = payment_results_stage(cycle=paid_cycle, user=alice, data=xlsx(GOOD), filename="回盘.xlsx")
    assert errors == []
    assert (staged.rows, staged.paid, staged.failed, staged.returned, staged.unchanged) == (3, 1, 1, 1, 0)
    assert _statuses(paid_cycle) == {"张建国": "approved", "李红梅": "approved", "王强": "approved"}  # staged only
    payment_results_confirm(payment_import=staged, user=alice)
    assert _statuses(paid_cycle) == {"张建国": "paid", "李红梅": "failed", "王强": "returned"}
    reasons = dict(paid_cycle.entitlements.values_list("household__head_name", "reason"))
    assert reasons["李红梅"] == "账户已冻结" and reasons["王强"] == "银行回盘：退回"
    money = paid_cycle.programme.fund
    money.refresh_from_db()
    assert money.balance == Decimal("700.00")  # 1000 − 900 + 300 + 300
    returns = FundMovement.objects.filter(kind="return").order_by("amount")
    assert [(m.amount, m.by) for m in returns] == [(Decimal("300.00"), alice)] * 2


def test_the_same_file_twice_changes_nothing(paid_cycle, alice):
    data = xlsx(GOOD)
    payment_results_confirm(
        payment_import=payment_results_stage(cycle=paid_cycle, user=alice, data=data, filename="a.xlsx")[0], user=alice
    )
    movements = FundMovement.objects.count()
    staged, errors = payment_results_stage(cycle=paid_cycle, user=alice, data=data, filename="a.xlsx")
    assert staged is None and "此文件已于" in errors[0].message and "未作任何更改" in errors[0].message
    # The same results saved again by the bank as a GBK CSV: every row is already recorded.
    staged, errors = payment_results_stage(cycle=paid_cycle, user=alice, data=csv_gbk(GOOD[:3]), filename="b.csv")
    assert errors == [] and (staged.paid, staged.failed, staged.returned, staged.unchanged) == (0, 0, 0, 3)
    payment_results_apply(payment_import=staged, user=alice)
    assert FundMovement.objects.count() == movements
    assert _statuses(paid_cycle) == {"张建国": "paid", "李红梅": "failed", "王强": "returned"}


def test_a_payment_credited_then_returned_goes_back_to_the_fund(paid_cycle, alice):
    first = [row[:4] + ["成功", ""] for row in GOOD[:3]]
    payment_results_apply(
        payment_import=payment_results_stage(cycle=paid_cycle, user=alice, data=xlsx(first), filename="a.xlsx")[0]
    )
    later = [[1, "张建国", ACCOUNTS["张建国"], 300, "退回", "账户已销户"]]
    staged, errors = payment_results_stage(cycle=paid_cycle, user=alice, data=csv_gbk(later), filename="c.csv")
    assert errors == [] and (staged.returned, staged.unchanged) == (1, 0)
    payment_results_apply(payment_import=staged)
    money = paid_cycle.programme.fund
    money.refresh_from_db()
    assert money.balance == Decimal("400.00") and _statuses(paid_cycle)["张建国"] == "returned"


def _refused(cycle, user, data, filename="bad.xlsx"):
    staged, errors = payment_results_stage(cycle=cycle, user=user, data=data, filename=filename)
    assert staged is None and PaymentImport.objects.count() == 0
    assert set(cycle.entitlements.values_list("status", flat=True)) == {"approved"}
    return [(e.row, e.column, e.message) for e in errors]


def test_an_unknown_account_names_its_row_and_column(paid_cycle, alice):
    rows = [*GOOD[:2], [3, "王强", "6228480000000009999", 300, "成功", ""]]
    assert _refused(paid_cycle, alice, xlsx(rows)) == [(7, "账号", "账号 6228***********9999 不在本期发放名单中。")]


def test_an_amount_that_differs_names_its_row_and_column(paid_cycle, alice):
    rows = [GOOD[0], [2, "李红梅", ACCOUNTS["李红梅"], "299.99", "成功", ""]]
    assert _refused(paid_cycle, alice, csv_gbk(rows), "bad.csv") == [
        (4, "金额(元)", "金额 299.99 元与该账号应发的 300.00 元不符。")
    ]


def test_a_row_of_another_cycle_is_refused(paid_cycle, alice):
    other_home = household(head_name="赵敏", bank_account="6228480000000000004", filed_on=dt.date(2026, 1, 5))
    other = _cycle(programme(name="金秋助学", fund_=fund(name="工会经费")), name="2026年金秋助学")
    assert other.entitlements.filter(household=other_home).exists()
    header = [*HEADER, "发放批次"]
    rows = [
        [1, "张建国", ACCOUNTS["张建国"], 300, "成功", "", "2026年第三季度"],
        [2, "李红梅", ACCOUNTS["李红梅"], 300, "成功", "", "2026年第二季度"],
        [3, "赵敏", "6228480000000000004", 300, "成功", "", ""],
        [4, "王强", ACCOUNTS["王强"], 300, "处理中", "", ""],
    ]
    assert _refused(paid_cycle, alice, xlsx(rows, header=header)) == [
        (6, "发放批次", f"本行属于“2026年第二季度”，不是本期发放（{paid_cycle}）。"),
        (7, "账号", "账号 6228***********0004 属于“2026年金秋助学”的发放名单，不在本期发放名单中。"),
        (8, "处理结果", "无法识别的处理结果“处理中”，应为 成功、失败 或 退回。"),
    ]


def test_a_file_without_the_columns_or_with_a_wrong_payee(paid_cycle, alice):
    errors = _refused(paid_cycle, alice, xlsx([[1, "张建国", ACCOUNTS["张建国"], 300]], header=HEADER[:4]))
    assert errors == [(4, "", "缺少以下列：处理结果")]
    errors = _refused(paid_cycle, alice, xlsx([[1, "张三", ACCOUNTS["张建国"], 300, "成功", ""]]))
    assert errors == [(5, "户名", "户名“张三”与发放名单中该账号的户主不符。")]


def test_results_after_a_failure_are_refused_as_a_contradiction(paid_cycle, alice):
    payment_results_apply(
        payment_import=payment_results_stage(cycle=paid_cycle, user=alice, data=xlsx(GOOD), filename="a.xlsx")[0]
    )
    rows = [[2, "李红梅", ACCOUNTS["李红梅"], 300, "成功", ""]]
    errors = _refused_after(paid_cycle, alice, csv_gbk(rows))
    assert errors == [(3, "处理结果", "该账号的发放已登记为“发放失败”，不能再登记为“成功”。")]


def _refused_after(cycle, user, data):
    before = PaymentImport.objects.count()
    staged, errors = payment_results_stage(cycle=cycle, user=user, data=data, filename="x.csv")
    assert staged is None and PaymentImport.objects.count() == before
    return [(e.row, e.column, e.message) for e in errors]


def test_a_large_file_is_recorded_by_a_job(paid_cycle, alice, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(results_module, "LARGE", 2)
    staged, _errors = payment_results_stage(cycle=paid_cycle, user=alice, data=xlsx(GOOD), filename="a.xlsx")
    job = payment_results_confirm(payment_import=staged, user=alice)
    assert isinstance(job, Job) and PaymentImport.objects.get().status == "applying"
    results_task.handler(job, lambda *args: None)
    assert PaymentImport.objects.get().status == "applied"
    assert _statuses(paid_cycle) == {"张建国": "paid", "李红梅": "failed", "王强": "returned"}
    with pytest.raises(ValidationError):
        payment_results_confirm(payment_import=PaymentImport.objects.get(), user=alice)


def test_the_admin_previews_then_confirms(paid_cycle, alice, bob, carol, client_for):
    url = reverse("admin:hardship_cycle_results", args=[paid_cycle.pk])
    client = client_for(alice)
    upload = io.BytesIO(xlsx(GOOD))
    upload.name = "回盘.xlsx"
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "请核对变更后确认" in preview and "6228***********0002" in preview and ACCOUNTS["李红梅"] not in preview
    assert "账户已冻结" in preview
    staged = PaymentImport.objects.get()
    response = client.post(url, {"confirm": staged.pk})
    assert response.status_code == 302 and "cycle__id__exact" in response["Location"]
    assert _statuses(paid_cycle)["张建国"] == "paid"
    bad = io.BytesIO(csv_gbk([[1, "张建国", "6228480000000009999", 300, "成功", ""]]))
    bad.name = "bad.csv"
    page = client.post(url, {"file": bad}).content.decode()
    assert "import-errors" in page and "不在本期发放名单中" in page
    # Another county: the cycle is missing; the city (read-only): refused before anything is looked up.
    assert client_for(bob).get(url)["Location"] == reverse("admin:index")
    assert client_for(carol).get(url).status_code == 403
    assert Entitlement.objects.filter(status="paid").count() == 1

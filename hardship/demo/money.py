"""Demo money: the central-finance fund and a company's donation in goods, a year (2025) of quarterly
condolence paid in kind (2,262 households × 300 yuan × 4 = 2,714,400 yuan, the Guangxi table), an autumn
student-aid cycle from a money donation, and one returned handout re-issued."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hardship.models import Cycle, Entitlement, Fund, PaymentStatus, Programme
from hardship.services import cycle_approve, cycle_compute, cycle_create, entitlement_mark, entitlement_reissue
from hardship.services.funds import fund_allocate
from hardship.services.rechecks import rechecks_open

QINSHUI = "140521"
YEAR = 2025
QUARTER = Decimal("300.00")
QUARTERS = [
    ("2025年第一季度", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
    ("2025年第二季度", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    ("2025年第三季度", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
    ("2025年第四季度", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
]


def _fund(name: str, source: str, amount: Decimal, user, donor: str = "") -> Fund:
    fund = Fund.objects.filter(county_id=QINSHUI, name=name).first()
    if fund is None:
        fund = Fund.objects.create(county_id=QINSHUI, name=name, source=source, donor=donor)
        fund_allocate(fund=fund, amount=amount, note=name, user=user)
    return fund


def seed_money(user) -> None:
    central = _fund("2025年中央财政职工困难帮扶资金", "central", Decimal("2714400.00"), user)
    goods = _fund("沁水县煤业集团捐赠物资（米面油）", "goods", Decimal("120000.00"), user, donor="沁水县煤业集团")
    school = _fund("金秋助学爱心捐款", "donation", Decimal("600000.00"), user, donor="沁水县企业家协会")
    condolence, made = Programme.objects.get_or_create(
        county_id=QINSHUI,
        name="季度慰问",
        defaults={"rule": "fixed", "amount": QUARTER, "fund": central, "in_kind": True},
    )
    student, _ = Programme.objects.get_or_create(
        county_id=QINSHUI,
        name="金秋助学",
        defaults={
            "rule": "fixed",
            "amount": Decimal("1000.00"),
            "fund": school,
            "per_person": True,
            "person_condition": "student",
        },
    )
    Programme.objects.get_or_create(
        county_id=QINSHUI,
        name="大病救助",
        defaults={"rule": "costs", "cap": Decimal("20000.00"), "fund": goods, "layers": "deep,accident"},
    )
    if not made:
        return
    for name, start, end in QUARTERS:
        cycle = cycle_create(programme=condolence, name=name, period_start=start, period_end=end)
        cycle = cycle_approve(cycle=cycle_compute(cycle=cycle), user=user)
        returned = cycle.entitlements.order_by("pk").first()
        _paid(cycle, end, keep=returned.pk)
    entitlement_mark(entitlement=returned, status=PaymentStatus.RETURNED, reason="户主外出务工，物资退回", user=user)
    again = entitlement_reissue(entitlement=returned, user=user)
    entitlement_mark(entitlement=again, status=PaymentStatus.PAID, signed_by=returned.household.head_name, user=user)
    autumn = cycle_create(
        programme=student, name="2025年金秋助学", period_start=dt.date(2025, 8, 1), period_end=dt.date(2025, 9, 30)
    )
    cycle_approve(cycle=cycle_compute(cycle=autumn), user=user)
    rechecks_open(year=2026, due_on=dt.date(2026, 12, 20), county=QINSHUI)


def _paid(cycle: Cycle, end: dt.date, keep: int) -> None:
    """Handed out: every household signed for its goods (one update: the demo's shortcut), but ``keep``,
    whose handout of the last quarter comes back and is re-issued."""
    paid = Entitlement.objects.filter(cycle=cycle, status=PaymentStatus.APPROVED)
    if cycle.period_start == QUARTERS[-1][1]:
        paid = paid.exclude(pk=keep)
    paid.update(status=PaymentStatus.PAID, paid_on=end, receipt_signed_by="户主本人签收")

"""Funds never below zero; payments paid, failed, returned and re-issued, each movement in the ledger; the
payment list masks bank accounts without the reveal permission; in-kind handouts need a signed receipt."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from hardship.models import Entitlement, FundMovement
from hardship.selectors.figures import fund_figures
from hardship.services import (
    cycle_approve,
    cycle_compute,
    cycle_create,
    entitlement_mark,
    entitlement_reissue,
    fund_spend,
    payment_list,
)
from membership.models import PersonalDataReveal
from tests.hardship.factories import fund, household, programme

pytestmark = pytest.mark.django_db


def _approved(prog, user=None):
    cycle = cycle_create(
        programme=prog, name="2026年第三季度", period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30)
    )
    return cycle_approve(cycle=cycle_compute(cycle=cycle), user=user)


def test_a_fund_never_goes_below_zero(regions):
    money = fund(amount=Decimal("100.00"))
    with pytest.raises(ValidationError) as error:
        fund_spend(fund=money, amount=Decimal("100.01"))
    assert "amount" in error.value.error_dict
    money.refresh_from_db()
    assert money.balance == Decimal("100.00") and money.movements.count() == 1
    fund_spend(fund=money, amount=Decimal("100.00"))
    money.refresh_from_db()
    assert money.balance == Decimal("0.00")


def test_returned_and_reissued_payments_keep_the_ledger_reconciled(regions, root):
    home = household()
    money = fund(amount=Decimal("1000.00"))
    cycle = _approved(programme(fund_=money), user=root)
    entitlement = cycle.entitlements.get()
    with pytest.raises(ValidationError) as error:
        entitlement_mark(entitlement=entitlement, status="returned", reason="")
    assert "reason" in error.value.error_dict
    entitlement_mark(entitlement=entitlement, status="returned", reason="账户已销户", user=root)
    money.refresh_from_db()
    assert money.balance == Decimal("1000.00")  # 1000 − 300 + 300
    again = entitlement_reissue(entitlement=entitlement, user=root)
    entitlement_mark(entitlement=again, status="paid")
    money.refresh_from_db()
    assert money.balance == Decimal("700.00")
    assert list(Entitlement.objects.filter(household=home).order_by("pk").values_list("status", flat=True)) == [
        "reissued",
        "paid",
    ]
    assert list(FundMovement.objects.order_by("pk").values_list("kind", "amount")) == [
        ("allocation", Decimal("1000.00")),
        ("spending", Decimal("300.00")),
        ("return", Decimal("300.00")),
        ("spending", Decimal("300.00")),
    ]
    [row] = fund_figures(root)
    assert (row["allocated"], row["spent"], row["returned"], row["balance"], row["reconciles"]) == (
        Decimal("1000.00"),
        Decimal("600.00"),
        Decimal("300.00"),
        Decimal("700.00"),
        True,
    )
    with pytest.raises(ValidationError):
        entitlement_reissue(entitlement=again)


def test_goods_are_handed_out_against_a_signed_receipt(regions):
    household()
    cycle = _approved(programme(in_kind=True))
    entitlement = cycle.entitlements.get()
    with pytest.raises(ValidationError) as error:
        entitlement_mark(entitlement=entitlement, status="paid")
    assert "receipt_signed_by" in error.value.error_dict
    entitlement_mark(entitlement=entitlement, status="paid", signed_by="张建国")
    entitlement.refresh_from_db()
    assert (entitlement.status, entitlement.receipt_signed_by) == ("paid", "张建国")


def _rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_payment_list_masks_accounts_unless_the_user_may_reveal_them(regions, alice, carol):
    household(head_name="张建国", bank_account="6228480000012345678")
    cycle = _approved(programme())
    masked = _rows(payment_list(cycle=cycle, user=carol))
    text = repr(masked)
    assert "6228***********5678" in text and "6228480000012345678" not in text
    assert PersonalDataReveal.objects.count() == 0
    full = repr(_rows(payment_list(cycle=cycle, user=alice)))
    assert "6228480000012345678" in full and "张建国" in full and "300" in full
    assert PersonalDataReveal.objects.count() == 1


def test_an_unapproved_cycle_has_no_payment_list(regions, alice):
    household()
    cycle = cycle_compute(
        cycle=cycle_create(
            programme=programme(), name="Q3", period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30)
        )
    )
    with pytest.raises(ValidationError):
        payment_list(cycle=cycle, user=alice)

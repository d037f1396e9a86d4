"""Funds and payments: money in (allocations, donations), out (an approved cycle), back (a payment failed or
returned) and out again (re-issued). Every change of a balance under the fund's row lock; never below zero.
The payment list for the bank goes out through the one spreadsheet writer, accounts masked unless the user
may reveal them (then the export is logged)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship.models import Entitlement, Fund, FundMovement, MovementKind, PaymentStatus
from unionhub.money import MONEY_FORMAT, format_yuan, to_fen
from unionhub.personal import BANK_ACCOUNT, mask, personal_data
from unionhub.spreadsheets.writing import Sheet, write_xlsx


def _positive(amount) -> Decimal:
    amount = to_fen(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    return amount


@transaction.atomic
def fund_allocate(*, fund: Fund, amount, note: str = "", user=None) -> FundMovement:
    """Money (or goods at their value) received into the fund."""
    amount = _positive(amount)
    Fund.objects.select_for_update().filter(pk=fund.pk).update(balance=F("balance") + amount)
    return FundMovement.objects.create(fund=fund, kind=MovementKind.ALLOCATION, amount=amount, note=note, by=user)


@transaction.atomic
def fund_spend(*, fund: Fund, amount, cycle=None, note: str = "", user=None) -> FundMovement:
    """Spend from the fund; refused (nothing written) when the balance does not cover it."""
    amount = to_fen(amount)
    if amount < 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    if amount > locked.balance:
        raise ValidationError(
            {
                "amount": _("The fund “%(fund)s” holds %(balance)s yuan, less than the %(amount)s yuan asked for.")
                % {"fund": locked.name, "balance": format_yuan(locked.balance), "amount": format_yuan(amount)}
            }
        )
    locked.balance -= amount
    locked.save(update_fields=["balance"])
    fund.balance = locked.balance
    return FundMovement.objects.create(
        fund=locked, kind=MovementKind.SPENDING, amount=amount, cycle=cycle, note=note, by=user
    )


PAYABLE = (PaymentStatus.APPROVED,)
# A payment the bank credited may still come back (an account closed after the credit).
RETURNABLE = (PaymentStatus.APPROVED, PaymentStatus.PAID)


@transaction.atomic
def entitlement_mark(*, entitlement: Entitlement, status: str, reason: str = "", signed_by: str = "", user=None):
    """Record what became of a payment: paid (in kind: with who signed the receipt), or failed / returned
    with the reason (the money goes back to the fund)."""
    entitlement = Entitlement.objects.select_for_update().select_related("cycle__programme").get(pk=entitlement.pk)
    if entitlement.status not in (RETURNABLE if status == PaymentStatus.RETURNED else PAYABLE):
        raise ValidationError(_("Only an approved, unpaid entitlement can be marked."))
    if status == PaymentStatus.PAID:
        if entitlement.cycle.programme.in_kind and not signed_by.strip():
            raise ValidationError(
                {"receipt_signed_by": _("Goods are handed out against a signed receipt: who signed?")}
            )
        entitlement.paid_on = timezone.localdate()
        entitlement.receipt_signed_by = signed_by
    elif status in (PaymentStatus.FAILED, PaymentStatus.RETURNED):
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the payment failed or came back.")})
        fund = entitlement.cycle.programme.fund
        Fund.objects.select_for_update().filter(pk=fund.pk).update(balance=F("balance") + entitlement.amount)
        FundMovement.objects.create(
            fund=fund,
            kind=MovementKind.RETURN,
            amount=entitlement.amount,
            cycle=entitlement.cycle,
            note=reason,
            by=user,
        )
    else:
        raise ValidationError({"status": _("Choose paid, failed or returned.")})
    entitlement.status = status
    entitlement.reason = reason
    entitlement.save()
    return entitlement


@transaction.atomic
def entitlement_reissue(*, entitlement: Entitlement, user=None) -> Entitlement:
    """Pay a failed or returned entitlement again (after the account was corrected): a new approved
    entitlement, spent from the fund once more."""
    entitlement = Entitlement.objects.select_for_update().select_related("cycle__programme").get(pk=entitlement.pk)
    if entitlement.status not in (PaymentStatus.FAILED, PaymentStatus.RETURNED):
        raise ValidationError(_("Only a failed or returned payment can be re-issued."))
    fund_spend(
        fund=entitlement.cycle.programme.fund,
        amount=entitlement.amount,
        cycle=entitlement.cycle,
        note=_("re-issue"),
        user=user,
    )
    entitlement.status = PaymentStatus.REISSUED
    entitlement.save(update_fields=["status"])
    return Entitlement.objects.create(
        cycle=entitlement.cycle,
        household=entitlement.household,
        person=entitlement.person,
        person_key=entitlement.person_key,
        county=entitlement.county,
        layer=entitlement.layer,
        amount=entitlement.amount,
        status=PaymentStatus.APPROVED,
        reissue_of=entitlement,
    )


def payment_list(*, cycle, user) -> bytes:
    """The cycle's payment list for the bank (or the handout list for goods): payee, bank, account, amount.
    Accounts are masked unless the user may reveal personal data; a full list is logged."""
    if not cycle.is_locked:
        raise ValidationError(_("Approve the cycle before exporting its payment list."))
    rows = list(
        cycle.entitlements.filter(status=PaymentStatus.APPROVED)
        .select_related("household", "person")
        .order_by("household__union_id", "household_id", "pk")
    )
    access = personal_data(user)
    full = access.may_reveal
    if full:
        access.export_logged(count=len(rows), label=str(cycle), region_id=cycle.programme.county_id)
    headers = [_("payee"), _("household member"), _("bank"), _("bank account"), _("amount (yuan)"), _("signature")]

    def lines():
        total = Decimal(0)
        for entitlement in rows:
            household = entitlement.household
            total += entitlement.amount
            account = household.bank_account if full else mask(household.bank_account, BANK_ACCOUNT)
            person = entitlement.person.name if entitlement.person_id else ""
            yield [household.head_name, person, household.bank_name, account, entitlement.amount, ""]
        yield [_("Total"), "", "", "", total, ""]

    caption = [_("Hardship assistance payment list"), str(cycle), f"{cycle.period_start} ~ {cycle.period_end}"]
    return write_xlsx(Sheet(_("payment list"), headers, lines(), formats={4: MONEY_FORMAT}, caption=caption))

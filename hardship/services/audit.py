"""The auditor's workbook of one county and period (资金审计表): the funds reconciled (opening balance, money in,
out and back, closing balance by the ledger against the book balance, and a check row), the programmes'
cycles with their households and amounts, and every payment. Written by the one spreadsheet writer, money as
money cells; bank accounts masked unless the user may reveal them (then the export is logged)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hardship.models import CycleStatus, FundSource, Layer, PaymentStatus
from hardship.selectors.figures import (
    ZERO,
    counties_reached,
    cycle_period_figures,
    fund_period_figures,
    payments_in_period,
)
from unionhub.money import MONEY_FORMAT
from unionhub.personal import BANK_ACCOUNT, mask, personal_data
from unionhub.spreadsheets.writing import DATE, TEXT, Sheet, write_xlsx


def _agrees(flag: bool) -> str:
    return _("agrees") if flag else _("does not agree")


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else value


def audit_workbook(*, user, county: str, start, end) -> bytes:
    """The workbook; PermissionDenied for a county outside the user's reach."""
    region = counties_reached(user).filter(code=county).first()
    if region is None:
        raise PermissionDenied
    period = f"{start:%Y-%m-%d} ~ {end:%Y-%m-%d}"
    caption = [_("Hardship assistance: the auditor's workbook"), region.name, period]
    funds = fund_period_figures(user, county, start, end)
    keys = ("opening", "allocated", "spent", "returned", "closing", "book")
    totals = {key: sum((f[key] for f in funds), ZERO) for key in keys}
    fund_rows = [
        [
            _label(FundSource, f["fund"].source),
            f["fund"].name,
            f["fund"].donor,
            f["opening"],
            f["allocated"],
            f["spent"],
            f["returned"],
            f["closing"],
            f["book"],
            _agrees(f["reconciles"]),
        ]
        for f in funds
    ]
    check = totals["opening"] + totals["allocated"] - totals["spent"] + totals["returned"]
    fund_rows.append(
        [
            _("Check: opening + allocated − spent + returned = balance"),
            "",
            "",
            totals["opening"],
            totals["allocated"],
            totals["spent"],
            totals["returned"],
            check,
            totals["book"],
            _agrees(check == totals["book"] and all(f["reconciles"] for f in funds)),
        ]
    )
    money = dict.fromkeys(range(3, 9), MONEY_FORMAT)
    fund_sheet = Sheet(
        _("funds"),
        [
            _("source"),
            _("fund"),
            _("donor"),
            _("opening balance"),
            _("allocation received"),
            _("spending"),
            _("payment returned"),
            _("closing balance (ledger)"),
            _("book balance"),
            _("reconciles"),
        ],
        fund_rows,
        formats=money,
        caption=caption,
    )
    cycle_sheet = Sheet(
        _("programmes and cycles"),
        [
            _("assistance programme"),
            _("fund"),
            _("programme cycle"),
            _("period starts"),
            _("period ends"),
            _("status"),
            _("households"),
            _("entitlements"),
            _("given (yuan)"),
            _("paid (yuan)"),
            _("failed or returned (yuan)"),
            _("re-issued"),
        ],
        [
            [
                c["cycle__programme__name"],
                c["cycle__programme__fund__name"],
                c["cycle__name"],
                c["cycle__period_start"],
                c["cycle__period_end"],
                _label(CycleStatus, c["cycle__status"]),
                c["households"],
                c["n"],
                c["given"] or 0,
                c["paid"] or 0,
                c["failed"] or 0,
                c["reissued"],
            ]
            for c in cycle_period_figures(user, county, start, end)
        ],
        formats={3: DATE, 4: DATE, 8: MONEY_FORMAT, 9: MONEY_FORMAT, 10: MONEY_FORMAT},
        caption=caption,
    )
    payments = list(payments_in_period(user, county, start, end))
    access = personal_data(user)
    full = access.may_reveal
    if full:
        access.export_logged(count=len(payments), label=_("auditor's workbook") + f" {period}", region_id=county)

    def lines():
        for e in payments:
            account = e.household.bank_account if full else mask(e.household.bank_account, BANK_ACCOUNT)
            yield [
                str(e.cycle),
                e.household.head_name,
                e.person.name if e.person_id else "",
                e.household.union.name,
                _label(Layer, e.layer),
                e.household.bank_name,
                account,
                e.amount,
                _label(PaymentStatus, e.status),
                e.reason,
                e.paid_on,
                e.reissue_of_id or "",
                e.pk,
            ]

    payment_sheet = Sheet(
        _("payments"),
        [
            _("programme cycle"),
            _("payee"),
            _("household member"),
            _("grassroots union"),
            _("layer"),
            _("bank"),
            _("bank account"),
            _("amount (yuan)"),
            _("status"),
            _("reason"),
            _("paid on"),
            _("re-issue of"),
            _("No."),
        ],
        lines(),
        formats={6: TEXT, 7: MONEY_FORMAT, 10: DATE},
        caption=caption,
    )
    return write_xlsx([fund_sheet, cycle_sheet, payment_sheet])

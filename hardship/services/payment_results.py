"""The bank's result file (回盘文件) for a cycle's payment list: read through the one spreadsheet core (the table
found below the bank's title rows, columns matched by their Chinese names; XLSX, XLS or CSV in UTF-8 or GBK),
every row checked against the cycle's entitlements, and then either a plan of what changes (staged, for staff
to confirm) or a list of (row, column, Chinese message) and nothing written.

Confirming records each change through ``funds.entitlement_mark`` (paid; failed or returned: the money back
to the fund). Idempotent: a row whose payment already has that result changes nothing, and a file already
recorded for the cycle is refused as such. A large plan is recorded by a job."""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship.models import Cycle, Entitlement, ImportStatus, PaymentImport, PaymentStatus
from hardship.services.funds import entitlement_mark
from unionhub.money import format_yuan, to_fen
from unionhub.personal import BANK_ACCOUNT, mask, mask_text
from unionhub.services.jobs import job_start
from unionhub.spreadsheets.layout import locate_table, map_headers
from unionhub.spreadsheets.reading import SpreadsheetError, cell_text, sheet_reader
from unionhub.spreadsheets.xlsx_stream import xlsx_rows, xlsx_sheet_names

RESULTS_JOB = "hardship.payment_results"
LARGE = 2000  # a plan with more changes than this is recorded by a job

ALIASES = {
    "payee": ["户名", "收款人", "收款人姓名", "收款户名", "收款人户名", "账户名称", "姓名", "payee"],
    "account": ["账号", "收款账号", "收款人账号", "银行账号", "卡号", "账户", "bank account"],
    "amount": ["金额", "交易金额", "发放金额", "代发金额", "实发金额", "amount (yuan)"],
    "result": ["处理结果", "交易结果", "结果", "交易状态", "状态", "result"],
    "reason": ["失败原因", "退回原因", "原因", "备注", "reason"],
    "cycle": ["发放批次", "批次", "用途", "摘要", "programme cycle"],
}
REQUIRED = ["account", "amount", "result"]
RESULTS = {
    PaymentStatus.PAID: ("成功", "交易成功", "处理成功", "已成功", "支付成功", "success", "paid"),
    PaymentStatus.FAILED: ("失败", "交易失败", "处理失败", "支付失败", "fail", "failed"),
    PaymentStatus.RETURNED: ("退回", "已退回", "退票", "退汇", "returned"),
}
# What a result may follow: a payment returned may have been credited first.
FROM = {
    PaymentStatus.PAID: (PaymentStatus.APPROVED,),
    PaymentStatus.FAILED: (PaymentStatus.APPROVED,),
    PaymentStatus.RETURNED: (PaymentStatus.APPROVED, PaymentStatus.PAID),
}
_ACCOUNT_NOISE = re.compile(r"[\s\-\t']")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class _Payment:
    pk: int
    status: str
    amount: Decimal
    names: tuple[str, ...]
    taken: bool = False


def _account(value) -> str:
    return _ACCOUNT_NOISE.sub("", cell_text(value))


def _result(text: str) -> str | None:
    key = text.strip().lower()
    for status, words in RESULTS.items():
        if key in words:
            return status
    return None


def _amount(value) -> Decimal:
    text = cell_text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("元", "")
    amount = to_fen(Decimal(text))
    if amount <= 0:
        raise InvalidOperation
    return amount


def _open(data: bytes, filename: str):
    if filename.lower().endswith(".xlsx"):
        return xlsx_sheet_names(io.BytesIO(data)), lambda index: xlsx_rows(io.BytesIO(data), index)
    return sheet_reader(data, filename)


def _payments(cycle: Cycle) -> dict[str, list[_Payment]]:
    """account -> the cycle's payments to it (in id order), every one sent to the bank: one query."""
    by_account = defaultdict(list)
    for pk, status, amount, account, head, person in (
        Entitlement.objects.filter(cycle=cycle)
        .exclude(status__in=(PaymentStatus.PROPOSED, PaymentStatus.REISSUED))
        .order_by("pk")
        .values_list("pk", "status", "amount", "household__bank_account", "household__head_name", "person__name")
    ):
        by_account[_account(account)].append(_Payment(pk, status, amount, tuple(n for n in (head, person) if n)))
    return by_account


def _elsewhere(cycle: Cycle, accounts: set[str]) -> dict[str, str]:
    """account -> the other cycle of the county whose list holds it (for the rows that belong to another)."""
    if not accounts:
        return {}
    found = {}
    for account, name in (
        Entitlement.objects.filter(cycle__programme__county_id=cycle.programme.county_id)
        .exclude(cycle=cycle)
        .filter(household__bank_account__in=accounts)
        .order_by("-cycle__period_start")
        .values_list("household__bank_account", "cycle__name")
    ):
        found.setdefault(_account(account), name)
    return found


def _cycle_named(cycle: Cycle, text: str) -> bool:
    text = re.sub(r"\s", "", text)
    names = {re.sub(r"\s", "", n) for n in (cycle.name, str(cycle))}
    return text in names or any(name in text for name in names)


def payment_results_check(*, cycle: Cycle, data: bytes, filename: str) -> tuple[dict, list[RowError]]:
    """({"rows", "plan", "paid", "failed", "returned", "unchanged"}, errors); read only."""
    if not cycle.is_locked:
        return {}, [RowError(0, "", _("Approve the cycle before recording the bank's results."))]
    if cycle.programme.in_kind:
        return {}, [RowError(0, "", _("This programme gives goods, not bank payments: record the signed receipts."))]
    try:
        names, open_sheet = _open(data, filename)
        table = locate_table(open_sheet, names, ALIASES, REQUIRED)
    except SpreadsheetError as exc:
        return {}, [RowError(0, "", str(exc))]
    headers = [cell_text(h) for h in table.header]
    fields, _unknown, missing = map_headers(headers, ALIASES, REQUIRED)
    if missing:
        labels = "、".join(ALIASES[name][0] for name in missing)
        return {}, [RowError(table.header_row, "", _("Columns missing: %(columns)s") % {"columns": labels})]
    label = {field: header for field, header in zip(fields, headers, strict=True) if field}
    payments = _payments(cycle)
    errors: list[RowError] = []
    parsed, unknown = [], {}
    for number, values in table.rows:
        row = {f: cell_text(v) for f, v in zip(fields, values, strict=False) if f}
        account = _account(row.get("account"))
        if not account:
            if row.get("result"):
                errors.append(RowError(number, label["account"], _("The account is empty.")))
            continue  # a blank line, or the bank's total line (合计) at the foot
        row_errors = []
        status = _result(row.get("result", ""))
        if status is None:
            row_errors.append(
                RowError(
                    number,
                    label["result"],
                    _("“%(value)s” is not a result the import knows; it should be 成功, 失败 or 退回.")
                    % {"value": mask_text(row.get("result", ""))},
                )
            )
        try:
            amount = _amount(row.get("amount"))
        except (InvalidOperation, ValueError):
            amount = None
            row_errors.append(
                RowError(
                    number,
                    label["amount"],
                    _("“%(value)s” is not an amount in yuan.") % {"value": mask_text(row.get("amount", ""))},
                )
            )
        if row.get("cycle") and not _cycle_named(cycle, row["cycle"]):
            row_errors.append(
                RowError(
                    number,
                    label["cycle"],
                    _("This row is for “%(other)s”, not for the cycle %(cycle)s.")
                    % {"other": mask_text(row["cycle"]), "cycle": cycle},
                )
            )
        if row_errors:
            errors += row_errors
            continue
        if account not in payments:
            unknown.setdefault(account, number)
            continue
        parsed.append((number, account, status, amount, row))
    for account, name in _elsewhere(cycle, set(unknown)).items():
        errors.append(
            RowError(
                unknown.pop(account),
                label["account"],
                _("The account %(account)s is in the payment list of “%(other)s”, not of this cycle.")
                % {"account": mask(account, BANK_ACCOUNT), "other": name},
            )
        )
    for account, number in unknown.items():
        errors.append(
            RowError(
                number,
                label["account"],
                _("The account %(account)s is not in this cycle's payment list.")
                % {"account": mask(account, BANK_ACCOUNT)},
            )
        )
    summary = {"rows": 0, "plan": [], PaymentStatus.PAID: 0, PaymentStatus.FAILED: 0, PaymentStatus.RETURNED: 0}
    summary["unchanged"] = 0
    # First the rows whose payment already has their result (a file read twice), then the others.
    pending = []
    for number, account, status, amount, row in parsed:
        done = _take(payments[account], lambda p, s=status, a=amount: p.status == s and p.amount == a)
        if done is None:
            pending.append((number, account, status, amount, row))
        else:
            summary["unchanged"] += 1
    for number, account, status, amount, row in pending:
        candidates = payments[account]
        payee = row.get("payee", "")
        if payee and not any(payee in p.names for p in candidates):
            errors.append(
                RowError(
                    number,
                    label["payee"],
                    _("The payee “%(name)s” is not the holder of this account in the payment list.")
                    % {"name": mask_text(payee)},
                )
            )
            continue
        open_ = [p for p in candidates if not p.taken and p.status in FROM[status]]
        payment = _take(open_, lambda p, a=amount: p.amount == a)
        if payment is None and open_:
            errors.append(
                RowError(
                    number,
                    label["amount"],
                    _("The amount %(amount)s yuan differs from the %(due)s yuan due to this account.")
                    % {"amount": format_yuan(amount), "due": format_yuan(open_[0].amount)},
                )
            )
            continue
        if payment is None:
            recorded = "、".join(sorted({str(PaymentStatus(p.status).label) for p in candidates}))
            errors.append(
                RowError(
                    number,
                    label["result"],
                    _("The payment to this account is already recorded as “%(recorded)s”; “%(result)s” cannot follow.")
                    % {"recorded": recorded, "result": row.get("result", "")},
                )
            )
            continue
        reason = row.get("reason", "")
        if status != PaymentStatus.PAID and not reason:
            reason = _("bank result: %(result)s") % {"result": row.get("result", "")}
        summary["plan"].append([payment.pk, payment.status, status, reason[:200], number])
        summary[status] += 1
    summary["rows"] = len(parsed) + len(unknown)
    errors.sort(key=lambda e: (e.row, e.column))
    return summary, errors


def _take(payments: list[_Payment], accept) -> _Payment | None:
    for payment in payments:
        if not payment.taken and accept(payment):
            payment.taken = True
            return payment
    return None


def payment_results_stage(*, cycle: Cycle, user, data: bytes, filename: str):
    """(the staged import, errors): checked as a whole; with any error (or a file already recorded) nothing is
    written."""
    digest = hashlib.sha256(data).hexdigest()
    earlier = (
        PaymentImport.objects.filter(cycle=cycle, sha256=digest, status=ImportStatus.APPLIED)
        .select_related("by")
        .first()
    )
    if earlier is not None:
        who = (earlier.by.get_full_name() or str(earlier.by)) if earlier.by_id else "—"
        when = timezone.localtime(earlier.applied_at or earlier.at)
        message = _("This file was already recorded on %(when)s by %(who)s; nothing was changed.") % {
            "when": f"{when:%Y-%m-%d %H:%M}",
            "who": who,
        }
        return None, [RowError(0, "", message)]
    summary, errors = payment_results_check(cycle=cycle, data=data, filename=filename)
    if errors:
        return None, errors
    staged = PaymentImport.objects.create(
        cycle=cycle,
        filename=filename[:200],
        sha256=digest,
        rows=summary["rows"],
        paid=summary[PaymentStatus.PAID],
        failed=summary[PaymentStatus.FAILED],
        returned=summary[PaymentStatus.RETURNED],
        unchanged=summary["unchanged"],
        plan=summary["plan"],
        by=user,
    )
    return staged, []


@transaction.atomic
def payment_results_apply(*, payment_import: PaymentImport, user=None) -> PaymentImport:
    """Record a staged file's plan, all or nothing: each payment must still be as it was when the file was
    checked (otherwise nothing is recorded and the file must be uploaded again)."""
    staged = PaymentImport.objects.select_for_update().get(pk=payment_import.pk)
    if staged.status == ImportStatus.APPLIED:
        return staged
    plan = staged.plan
    current = dict(Entitlement.objects.filter(pk__in=[item[0] for item in plan]).values_list("pk", "status"))
    for pk, before, _after, _reason, number in plan:
        if current.get(pk) != before:
            raise ValidationError(
                _("Row %(row)s: this payment changed since the file was checked; upload the file again.")
                % {"row": number}
            )
    for pk, _before, after, reason, _number in plan:
        entitlement_mark(entitlement=Entitlement(pk=pk), status=after, reason=reason, user=user)
    staged.status = ImportStatus.APPLIED
    staged.applied_at = timezone.now()
    staged.save(update_fields=["status", "applied_at"])
    return staged


def payment_results_confirm(*, payment_import: PaymentImport, user=None):
    """Record a staged file now, or (a large one) through a job. Returns the import, or the job."""
    if payment_import.status != ImportStatus.STAGED:
        raise ValidationError(_("This file is already recorded or being recorded."))
    if payment_import.changes <= LARGE:
        return payment_results_apply(payment_import=payment_import, user=user)
    with transaction.atomic():
        PaymentImport.objects.filter(pk=payment_import.pk).update(status=ImportStatus.APPLYING)
        return job_start(kind=RESULTS_JOB, user=user, target=payment_import, total=payment_import.changes)


def payment_results_job_failed(*, import_id: int) -> None:
    PaymentImport.objects.filter(pk=import_id, status=ImportStatus.APPLYING).update(status=ImportStatus.STAGED)

"""Reads of the bank result files: a staged file's changes as staff check them before confirming."""

from __future__ import annotations

from hardship.models import Entitlement, PaymentImport, PaymentStatus
from unionhub.personal import BANK_ACCOUNT, mask

PREVIEW_LINES = 200


def payment_import_lines(staged: PaymentImport, *, limit: int = PREVIEW_LINES) -> list[dict]:
    """The first ``limit`` changes of a staged file: row, payee, masked account, amount, before and after."""
    plan = staged.plan[:limit]
    entitlements = Entitlement.objects.in_bulk([item[0] for item in plan])
    households = {
        pk: (head, bank, account)
        for pk, head, bank, account in Entitlement.objects.filter(pk__in=entitlements)
        .values_list("pk", "household__head_name", "household__bank_name", "household__bank_account")
        .order_by()
    }
    lines = []
    for pk, before, after, reason, row in plan:
        head, bank, account = households.get(pk, ("", "", ""))
        lines.append(
            {
                "row": row,
                "payee": head,
                "bank": bank,
                "account": mask(account, BANK_ACCOUNT),
                "amount": entitlements[pk].amount if pk in entitlements else None,
                "before": PaymentStatus(before).label,
                "after": PaymentStatus(after).label,
                "reason": reason,
            }
        )
    return lines


def payment_imports_of(cycle) -> list[PaymentImport]:
    return list(PaymentImport.objects.filter(cycle=cycle).select_related("by")[:20])

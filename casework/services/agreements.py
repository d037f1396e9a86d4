"""Mediation agreements: signing (which settles the case), arbitration review, instalments and payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from casework.choices import CaseStatus, ReviewResult
from casework.models import Agreement, Instalment, MediationCase


@transaction.atomic
def agreement_sign(
    *,
    case: MediationCase,
    signed_on: dt.date,
    terms: str,
    instalments: list[tuple[dt.date, Decimal]] | None = None,
) -> Agreement:
    """Record the signed agreement and settle the case.

    Every claim needs an agreed amount (0 when dropped); the instalments must add up to the total agreed. With
    no instalments given, the whole amount is one payment due on the day of signing."""
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    total = agreement_check_case(case=case)
    schedule = list(instalments or ([(signed_on, total)] if total else []))
    scheduled = sum((amount for _due, amount in schedule), Decimal("0"))
    if scheduled != total:
        raise ValidationError(
            {
                "instalments": _("The instalments add up to %(scheduled)s yuan but %(total)s yuan was agreed.")
                % {"scheduled": scheduled, "total": total}
            }
        )
    if any(due < signed_on for due, _amount in schedule):
        raise ValidationError({"instalments": _("An instalment cannot fall due before the agreement is signed.")})
    agreement = Agreement(case=case, signed_on=signed_on, terms=terms.strip())
    agreement.full_clean()
    agreement.save()
    for sequence, (due_on, amount) in enumerate(sorted(schedule), start=1):
        instalment = Instalment(agreement=agreement, sequence=sequence, due_on=due_on, amount=amount)
        instalment.full_clean()
        instalment.save()
    case.status, case.closed_on = CaseStatus.SETTLED, signed_on
    case.full_clean()
    case.save()
    return agreement


def agreement_check_case(*, case: MediationCase) -> Decimal:
    """The checks before an agreement can settle a case; returns the total agreed."""
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is already closed."))
    claims = list(case.claims.all())
    if not claims:
        raise ValidationError(_("Record what was claimed before the agreement."))
    if any(claim.amount_agreed is None for claim in claims):
        raise ValidationError(_("Give the agreed amount of every claim (0 for a claim that was dropped)."))
    return sum((claim.amount_agreed for claim in claims), Decimal("0"))


@transaction.atomic
def agreement_save(*, agreement: Agreement) -> Agreement:
    """Save an agreement from the admin; a new one settles its case on the day of signing."""
    created = agreement.pk is None
    if created:
        agreement_check_case(case=agreement.case)
    agreement.full_clean()
    agreement.save()
    if created:
        case = MediationCase.objects.select_for_update().get(pk=agreement.case_id)
        case.status, case.closed_on = CaseStatus.SETTLED, agreement.signed_on
        case.full_clean()
        case.save()
    return agreement


def agreement_schedule_problem(agreement: Agreement) -> str | None:
    """A warning when the instalments do not add up to the amount agreed (None when they do)."""
    total = agreement.case.claims.aggregate(total=Sum("amount_agreed"))["total"] or Decimal("0")
    scheduled = agreement.instalments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if scheduled == total:
        return None
    return _("The instalments add up to %(scheduled)s yuan but %(total)s yuan was agreed.") % {
        "scheduled": scheduled,
        "total": total,
    }


@transaction.atomic
def agreement_request_review(*, agreement: Agreement, on: dt.date) -> Agreement:
    """Send the agreement to the arbitration institute for review (仲裁审查)."""
    agreement.review_requested_on, agreement.review_result = on, ReviewResult.PENDING
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_record_review(*, agreement: Agreement, result: str, on: dt.date, document_number: str = "") -> Agreement:
    if result not in (ReviewResult.CONFIRMED, ReviewResult.REFUSED):
        raise ValidationError({"review_result": _("Choose confirmed or not confirmed.")})
    if result == ReviewResult.CONFIRMED and not document_number.strip():
        raise ValidationError({"review_document_number": _("Give the number of the mediation document issued.")})
    agreement.review_result, agreement.reviewed_on = result, on
    agreement.review_document_number = document_number.strip()
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def instalment_pay(*, instalment: Instalment, amount: Decimal, paid_on: dt.date) -> Instalment:
    """Record a payment (possibly partial) against an instalment."""
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if amount <= 0:
        raise ValidationError({"amount_paid": _("Enter the amount paid.")})
    if instalment.amount_paid + amount > instalment.amount:
        raise ValidationError(
            {
                "amount_paid": _("That is more than the %(left)s yuan still owed on this instalment.")
                % {"left": instalment.amount - instalment.amount_paid}
            }
        )
    instalment.amount_paid += amount
    instalment.paid_on = paid_on
    instalment.full_clean()
    instalment.save()
    return instalment


def agreement_paid_total(agreement: Agreement) -> Decimal:
    return agreement.instalments.aggregate(total=Sum("amount_paid"))["total"] or Decimal("0")


def instalments_overdue(queryset, today: dt.date):
    """Instalments past their due date and not fully paid."""
    from django.db.models import F

    return queryset.filter(due_on__lt=today, amount_paid__lt=F("amount"))

"""Mediation agreements: signing (which settles the case), arbitration review, instalments and payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils.translation import gettext as _

from casework.choices import CaseStatus, EnforcementKind, ReviewResult
from casework.models import Agreement, AgreementAmendment, EnforcementStep, Instalment, MediationCase
from casework.selectors.mediation import JUDICIAL_WINDOW_DAYS
from casework.services.mediation import mediation_request_close


@transaction.atomic
def agreement_sign(
    *,
    case: MediationCase,
    signed_on: dt.date,
    terms: str,
    instalments: list[tuple[dt.date, Decimal]] | None = None,
    by=None,
) -> Agreement:
    """Record the signed agreement and settle the case.

    Every claim needs an agreed amount (0 when dropped); the instalments must add up to the total agreed. With
    no instalments given, the whole amount is one payment due on the day of signing."""
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    total = agreement_check_case(case=case)
    schedule = list(instalments or ([(signed_on, total)] if total else []))
    instalments_total_check(total=total, amounts=[amount for _due, amount in schedule], field="instalments")
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
    mediation_request_close(case=case, by=by)
    return agreement


def instalments_total_check(*, total: Decimal, amounts: list[Decimal], field: str = "amount") -> None:
    """The instalments add up to exactly the total agreed (Decimal, to the fen)."""
    scheduled = sum((Decimal(amount) for amount in amounts), Decimal("0"))
    if amounts and scheduled != total:
        raise ValidationError(
            {
                field: _("The instalments add up to %(scheduled)s yuan but %(total)s yuan was agreed.")
                % {"scheduled": f"{scheduled:,.2f}", "total": f"{total:,.2f}"}
            }
        )


def agreement_total(case: MediationCase) -> Decimal:
    return case.claims.aggregate(total=Sum("amount_agreed"))["total"] or Decimal("0")


def payment_date_check(*, agreement: Agreement, paid_on: dt.date | None) -> None:
    """A payment under the agreement cannot be dated before the agreement was signed."""
    if paid_on and agreement.signed_on and paid_on < agreement.signed_on:
        raise ValidationError(
            {
                "paid_on": _("A payment cannot be dated before the agreement was signed (%(on)s).")
                % {"on": f"{agreement.signed_on:%Y-%m-%d}"}
            }
        )


def agreement_fields_check(*, agreement: Agreement, previous: Agreement | None) -> None:
    """The agreement's own rules, each on its field: the signed date and terms never change (an amendment is a
    new version); a confirmed arbitration review has its document number; judicial confirmation is applied for
    within 30 days of signing and, confirmed, has the court's ruling number."""
    errors = {}
    if previous is not None:
        if agreement.terms.strip() != previous.terms.strip():
            errors["terms"] = _("The signed terms cannot change. Record an amendment with its reason instead.")
        if agreement.signed_on != previous.signed_on:
            errors["signed_on"] = _("The date of signing cannot change.")
    if agreement.review_result == ReviewResult.CONFIRMED and not agreement.review_document_number.strip():
        errors["review_document_number"] = _("Give the number of the mediation document issued.")
    if agreement.judicial_applied_on and agreement.signed_on:
        last_day = judicial_window_ends_on(agreement)
        if agreement.judicial_applied_on > last_day:
            errors["judicial_applied_on"] = _(
                "Judicial confirmation must be applied for within 30 days of signing, by %(on)s."
            ) % {"on": f"{last_day:%Y-%m-%d}"}
        elif agreement.judicial_applied_on < agreement.signed_on:
            errors["judicial_applied_on"] = _("Judicial confirmation cannot be applied for before signing.")
    if agreement.judicial_result and not agreement.judicial_applied_on:
        errors["judicial_applied_on"] = _("Give the date judicial confirmation was applied for.")
    if agreement.judicial_result == ReviewResult.CONFIRMED and not agreement.judicial_ruling_number.strip():
        errors["judicial_ruling_number"] = _("Give the number of the court's ruling.")
    if errors:
        raise ValidationError(errors)


def judicial_window_ends_on(agreement: Agreement) -> dt.date:
    """The last day to apply to the court for judicial confirmation (司法确认): 30 days from signing."""
    return agreement.signed_on + dt.timedelta(days=JUDICIAL_WINDOW_DAYS)


@transaction.atomic
def agreement_amend(*, agreement: Agreement, signed_on: dt.date, reason: str, terms: str) -> AgreementAmendment:
    """A new version of the agreement, signed anew with its reason; the original stays as signed."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the amendment.")})
    if signed_on < agreement.signed_on:
        raise ValidationError({"signed_on": _("An amendment cannot be signed before the agreement.")})
    last = agreement.amendments.aggregate(last=Max("version"))["last"] or 1
    amendment = AgreementAmendment(
        agreement=agreement, version=last + 1, signed_on=signed_on, reason=reason.strip(), terms=terms.strip()
    )
    amendment.full_clean(exclude=["version"])
    amendment.save()
    return amendment


def enforcement_check(*, agreement: Agreement, kind: str, taken_on: dt.date | None) -> None:
    """A step on non-payment is for an agreement with an instalment unpaid after its due date."""
    if kind not in EnforcementKind.values:
        raise ValidationError({"kind": _("Choose the next step.")})
    if taken_on and not instalments_overdue(agreement.instalments.all(), taken_on).exists():
        raise ValidationError(
            {"taken_on": _("No instalment was overdue on that date: this step is for an employer who did not pay.")}
        )


@transaction.atomic
def enforcement_record(*, agreement: Agreement, kind: str, taken_on: dt.date, note: str = "") -> EnforcementStep:
    enforcement_check(agreement=agreement, kind=kind, taken_on=taken_on)
    step = EnforcementStep(agreement=agreement, kind=kind, taken_on=taken_on, note=note.strip())
    step.full_clean()
    step.save()
    return step


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
def agreement_save(*, agreement: Agreement, by=None) -> Agreement:
    """Save an agreement from the admin (after ``agreement_fields_check``); a new one settles its case on the
    day of signing and closes the request the case came from."""
    created = agreement.pk is None
    previous = None if created else Agreement.objects.get(pk=agreement.pk)
    if created:
        agreement_check_case(case=agreement.case)
    agreement_fields_check(agreement=agreement, previous=previous)
    agreement.full_clean()
    agreement.save()
    if created:
        case = MediationCase.objects.select_for_update().get(pk=agreement.case_id)
        case.status, case.closed_on = CaseStatus.SETTLED, agreement.signed_on
        case.full_clean()
        case.save()
        mediation_request_close(case=case, by=by)
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
    if on < agreement.signed_on:
        raise ValidationError({"reviewed_on": _("A review cannot come before the agreement was signed.")})
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
    payment_date_check(agreement=instalment.agreement, paid_on=paid_on)
    instalment.amount_paid += amount
    instalment.paid_on = paid_on
    instalment.full_clean()
    instalment.save()
    return instalment


def agreement_paid_total(agreement: Agreement) -> Decimal:
    return agreement.instalments.aggregate(total=Sum("amount_paid"))["total"] or Decimal("0")


def instalments_overdue(queryset, today: dt.date):
    """Instalments past their due date and not fully paid."""
    return queryset.filter(due_on__lt=today, amount_paid__lt=F("amount"))

"""Reads about mediation for the worker and the mediator: the case of a request as the worker may see it, the
arbitration limitation, the work-injury recognition deadlines and the next steps when an employer does not pay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F as models_F
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import CaseStatus, EnforcementKind, RequestCategory
from casework.models import Agreement, MediationCase, WorkerRequest
from casework.selectors.clock import mediation_period_ends_on
from casework.selectors.reach import requests_reached

JUDICIAL_WINDOW_DAYS = 30  # 民事诉讼法 第二百零五条
LIMITATION_YEARS = 1  # 劳动争议调解仲裁法 第二十七条
INJURY_EMPLOYER_DAYS = 30  # 工伤保险条例 第十七条 第一款
INJURY_WORKER_YEARS = 1  # 工伤保险条例 第十七条 第二款


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class CaseSummary:
    """What the worker sees of the case on the status page: no notes, no other party's numbers."""

    number: str
    station: str
    status: str
    status_label: str
    received_on: dt.date
    period_ends_on: dt.date
    closed_on: dt.date | None
    meetings: list[dict] = field(default_factory=list)
    agreement: dict | None = None


def request_cases(request: WorkerRequest) -> list[CaseSummary]:
    """The mediation cases of a request (oldest first) as the worker may read them."""
    cases = (
        MediationCase.objects.filter(request=request)
        .select_related("station")
        .prefetch_related("meetings", "claims")
        .order_by("received_on", "pk")
    )
    summaries = []
    for case in cases:
        summary = CaseSummary(
            number=case.number,
            station=case.station.name,
            status=case.status,
            status_label=str(case.get_status_display()),
            received_on=case.received_on,
            period_ends_on=mediation_period_ends_on(case),
            closed_on=case.closed_on,
            meetings=[{"at": m.held_at, "mode": m.get_mode_display(), "place": m.place} for m in case.meetings.all()],
        )
        agreement = Agreement.objects.filter(case=case).first()
        if agreement is not None:
            instalments = list(agreement.instalments.all())
            summary.agreement = {
                "signed_on": agreement.signed_on,
                "total": sum((c.amount_agreed or Decimal("0") for c in case.claims.all()), Decimal("0")),
                "paid": sum((i.amount_paid for i in instalments), Decimal("0")),
                "instalments": instalments,
                "review": agreement.get_review_result_display() if agreement.review_result else "",
                "judicial": agreement.get_judicial_result_display() if agreement.judicial_result else "",
                "amendments": agreement.amendments.count(),
            }
        summaries.append(summary)
    return summaries


def limitation_for(request: WorkerRequest) -> dict:
    """The one-year arbitration limitation (仲裁时效): asking the union for help interrupts it (劳动争议调解仲裁法
    第二十七条第二款, 向有关部门请求权利救济), so it runs anew from the day of filing."""
    filed_on = timezone.localdate(request.filed_at)
    return {"interrupted_on": filed_on, "ends_on": add_years(filed_on, LIMITATION_YEARS)}


def case_limitation(case: MediationCase) -> dict | None:
    """The limitation for a case: from the day the worker knew of the infringement, or anew from the request
    (or the case's receipt: applying for mediation also interrupts it)."""
    start = case.received_on
    if case.request_id:
        start = timezone.localdate(case.request.filed_at)
    ends = add_years(start, LIMITATION_YEARS)
    original = add_years(case.rights_known_on, LIMITATION_YEARS) if case.rights_known_on else None
    return {"interrupted_on": start, "ends_on": ends, "original_ends_on": original}


def injury_deadlines(incident_on: dt.date | None) -> dict | None:
    """Work-injury recognition (工伤认定): the employer applies within 30 days of the accident or diagnosis; if
    it does not, the worker or their family within one year."""
    if incident_on is None:
        return None
    return {
        "employer_by": incident_on + dt.timedelta(days=INJURY_EMPLOYER_DAYS),
        "worker_by": add_years(incident_on, INJURY_WORKER_YEARS),
    }


def is_injury(category: str) -> bool:
    return category == RequestCategory.WORK_INJURY


def judicial_window(agreement: Agreement, today: dt.date | None = None) -> dict:
    ends = agreement.signed_on + dt.timedelta(days=JUDICIAL_WINDOW_DAYS)
    today = today or timezone.localdate()
    return {"ends_on": ends, "open": today <= ends and not agreement.judicial_applied_on}


def next_steps_on_non_payment(agreement: Agreement, today: dt.date | None = None) -> list[str]:
    """What the worker can do when an instalment is unpaid after its due date (empty when none is)."""
    today = today or timezone.localdate()
    overdue = agreement.instalments.filter(due_on__lt=today, amount_paid__lt=models_F("amount"))
    if not overdue.exists():
        return []
    owed = overdue.aggregate(owed=Sum("amount"))["owed"] - overdue.aggregate(paid=Sum("amount_paid"))["paid"]
    steps = [
        _("%(owed)s yuan is overdue.") % {"owed": f"{owed:,.2f}"},
        str(EnforcementKind.ARBITRATION.label)
        + _(": the employer did not perform the agreement; the worker may apply for arbitration."),
    ]
    if agreement.case.category in (RequestCategory.WAGES, RequestCategory.WORK_INJURY):
        steps.append(
            str(EnforcementKind.PAYMENT_ORDER.label)
            + _(": for wages, medical costs for a work injury, compensation (劳动争议调解仲裁法 第十六条).")
        )
    if agreement.review_result == "confirmed" or agreement.judicial_result == "confirmed":
        steps.append(_("The agreement was confirmed: the worker may apply to the court for enforcement."))
    return steps


def certificate_allowed(case: MediationCase, today: dt.date | None = None) -> bool:
    """调解不成证明: for a case closed without agreement, or still open after its 15-day period."""
    today = today or timezone.localdate()
    return case.status == CaseStatus.NOT_SETTLED or (
        case.status == CaseStatus.OPEN and today > mediation_period_ends_on(case)
    )


def request_by_reference(user, reference: str) -> WorkerRequest | None:
    """The request with this reference if ``user`` reaches it (else None: out of reach reads as not found)."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return requests_reached(user, WorkerRequest.objects.filter(reference=reference)).first()


def case_timeline(case: MediationCase) -> list[tuple[dt.date, str]]:
    """The case's steps for the mediator, oldest first: received, meetings, agreement, review, judicial
    confirmation, instalments due and paid, steps on non-payment, amendments, closing."""
    steps: list[tuple[dt.date, str]] = []
    if case.request_id:
        steps.append((timezone.localdate(case.request.filed_at), _("request %(ref)s filed") % {"ref": case.request}))
    steps.append((case.received_on, _("case received")))
    for meeting in case.meetings.all():
        label = _("mediation meeting (%(mode)s)") % {"mode": meeting.get_mode_display()}
        steps.append((timezone.localdate(meeting.held_at), label))
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is not None:
        steps.append((agreement.signed_on, _("agreement signed")))
        for amendment in agreement.amendments.all():
            steps.append(
                (
                    amendment.signed_on,
                    _("amendment v%(v)s: %(reason)s") % {"v": amendment.version, "reason": amendment.reason},
                )
            )
        if agreement.review_requested_on:
            steps.append((agreement.review_requested_on, _("sent for arbitration review")))
        if agreement.reviewed_on:
            steps.append((agreement.reviewed_on, str(agreement.get_review_result_display())))
        if agreement.judicial_applied_on:
            steps.append((agreement.judicial_applied_on, _("judicial confirmation applied for")))
        for instalment in agreement.instalments.all():
            steps.append(
                (
                    instalment.due_on,
                    _("instalment %(n)s due: %(amount)s yuan")
                    % {"n": instalment.sequence, "amount": f"{instalment.amount:,.2f}"},
                )
            )
            if instalment.paid_on:
                steps.append(
                    (
                        instalment.paid_on,
                        _("instalment %(n)s paid: %(amount)s yuan")
                        % {"n": instalment.sequence, "amount": f"{instalment.amount_paid:,.2f}"},
                    )
                )
        for step in agreement.enforcement_steps.all():
            steps.append((step.taken_on, str(step.get_kind_display())))
    if case.closed_on:
        steps.append((case.closed_on, _("closed: %(outcome)s") % {"outcome": case.get_status_display()}))
    return sorted(steps, key=lambda step: step[0])

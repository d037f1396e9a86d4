"""Mediation cases: opening, parties, claims, meetings, and closing with exactly one outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import (
    OPEN_STATUSES,
    CaseSource,
    CaseStatus,
    Department,
    PartyRole,
    RequestOutcome,
    RequestStatus,
)
from casework.models import Agreement, CaseMediator, ClaimItem, MediationCase, Meeting, Party, Referral, WorkerRequest
from casework.selectors.clock import mediation_period_ends_on
from casework.services.handling import request_mediation_end, request_to_mediation
from casework.services.mediation_notices import mediation_meeting_notify, mediation_opened_notify
from casework.services.routing import employer_union_match
from stations.models import Station
from unionhub.validators import normalize_mobile


def mediation_team_names(station: Station) -> set[str]:
    """Names on the station's mediation team (the leader and one member a line, "name position")."""
    team = station.teams.filter(kind="mediation").first()
    if team is None:
        return set()
    names = {team.leader.strip()}
    names |= {line.split()[0] for line in team.members.splitlines() if line.strip()}
    return names


def case_number_next(year: int) -> str:
    """TJ2026-00001: per year, numbered in order of opening (under the caller's transaction)."""
    prefix = f"TJ{year}-"
    last = MediationCase.objects.filter(number__startswith=prefix).aggregate(last=Max("number"))["last"]
    serial = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{serial:05d}"


@transaction.atomic
def mediation_open(
    *,
    station: Station,
    category: str,
    summary: str,
    received_on: dt.date,
    source: str = CaseSource.DESK,
    request: WorkerRequest | None = None,
    court_name: str = "",
    court_case_number: str = "",
    mediators: list[str] | None = None,
    by=None,
) -> MediationCase:
    """Open a case at a station's mediation desk. From a request: the request is resolved with a step
    telling the worker the case number (the mediation period then governs, not the request's clock)."""
    if request is not None:
        source = CaseSource.REQUEST
    case = MediationCase(
        station=station,
        source=source,
        request=request,
        court_name=court_name.strip(),
        court_case_number=court_case_number.strip(),
        category=category,
        summary=summary.strip(),
        received_on=received_on,
    )
    case = mediation_case_save(case=case, by=by)
    for name in mediators or []:
        mediator_add(case=case, name=name)
    return case


def mediation_case_check(*, case: MediationCase, previous_status: str | None) -> None:
    """The rules a case's own fields cannot check alone, each on its field (ValidationError): a new case from a
    request needs the request open (not already in mediation or resolved); settled needs claims and the signed
    agreement (signing it settles the case); a settled case stays settled."""
    errors = {}
    if case.pk is None and case.request_id:
        request = WorkerRequest.objects.get(pk=case.request_id)
        if request.status not in OPEN_STATUSES:
            errors["request"] = _("Request %(reference)s is %(status)s: only an open request can go to mediation.") % {
                "reference": request.reference,
                "status": request.get_status_display(),
            }
    if previous_status == CaseStatus.SETTLED and case.status != CaseStatus.SETTLED:
        errors["status"] = _("A settled case stays settled: its agreement was signed. Record an amendment instead.")
    elif case.status == CaseStatus.SETTLED and previous_status != CaseStatus.SETTLED:
        has_claims = case.pk is not None and ClaimItem.objects.filter(case_id=case.pk).exists()
        has_agreement = case.pk is not None and Agreement.objects.filter(case_id=case.pk).exists()
        if not (has_claims and has_agreement):
            errors["status"] = _(
                "A case is settled by signing its agreement: record the claims, then the signed agreement."
            )
    if errors:
        raise ValidationError(errors)


def request_outcome_for(case: MediationCase) -> str:
    """The request's outcome from its case's: settled for all that was claimed → supported, for less → partly;
    not settled → referred (to arbitration); withdrawn → withdrawn."""
    if case.status == CaseStatus.SETTLED:
        totals = case.claims.aggregate(claimed=Sum("amount_claimed"), agreed=Sum("amount_agreed"))
        claimed, agreed = totals["claimed"] or Decimal("0"), totals["agreed"] or Decimal("0")
        if agreed <= 0:
            return RequestOutcome.NOT_SUPPORTED
        return RequestOutcome.SUPPORTED if agreed >= claimed else RequestOutcome.PARTLY
    if case.status == CaseStatus.NOT_SETTLED:
        return RequestOutcome.REFERRED
    return RequestOutcome.WITHDRAWN


def mediation_request_close(*, case: MediationCase, by=None) -> None:
    """A closed case closes the request it came from, with the case's outcome; not settled, the request is
    referred to arbitration with a follow-up date (an arbitration award is due within 45 days)."""
    request = case.request
    if request is None or case.status == CaseStatus.OPEN or request.status != RequestStatus.MEDIATION:
        return
    outcome = request_outcome_for(case)
    texts = {
        CaseStatus.SETTLED: _("Mediation case %(number)s settled: an agreement was signed on %(on)s."),
        CaseStatus.NOT_SETTLED: _(
            "Mediation case %(number)s did not reach an agreement (%(on)s): you may apply for labour dispute "
            "arbitration; the certificate of failed mediation is at the mediation desk."
        ),
        CaseStatus.WITHDRAWN: _("Mediation case %(number)s was withdrawn on %(on)s."),
    }
    text = texts[case.status] % {"number": case.number, "on": f"{case.closed_on:%Y-%m-%d}"}
    if case.outcome_note:
        text = f"{text} {case.outcome_note}"
    if case.status == CaseStatus.NOT_SETTLED:
        referral = Referral(
            request=request,
            department=Department.ARBITRATION,
            referred_on=case.arbitration_referred_on or case.closed_on,
            follow_up_on=(case.arbitration_referred_on or case.closed_on) + dt.timedelta(days=45),
            note=case.number,
            referred_by=by,
        )
        referral.full_clean()
        referral.save()
    request_mediation_end(request=request, by=by, resolution=text, outcome=outcome)


@transaction.atomic
def mediation_case_save(*, case: MediationCase, by=None, previous_status: str | None = None) -> MediationCase:
    """Save a case (from ``mediation_open`` or the admin) after ``mediation_case_check``. A new case gets its
    number; a new case from a request puts the request "in mediation" and tells the worker; a case that closes
    closes its request with the case's outcome."""
    created = case.pk is None
    if not created and previous_status is None:
        previous_status = MediationCase.objects.filter(pk=case.pk).values_list("status", flat=True).first()
    if case.request_id:
        case.source = CaseSource.REQUEST
    mediation_case_check(case=case, previous_status=previous_status)
    if created and not case.number:
        case.number = case_number_next(case.received_on.year)
    case.full_clean(exclude=["number"] if created else None)
    case.save()
    if created and case.request_id:
        request_to_mediation(
            request=case.request,
            by=by,
            note=_("Taken into mediation at %(station)s, case number %(number)s.")
            % {"station": case.station.name, "number": case.number},
        )
        mediation_opened_notify(case=case, period_ends=mediation_period_ends_on(case))
    if previous_status == CaseStatus.OPEN and case.status != CaseStatus.OPEN:
        mediation_request_close(case=case, by=by)
    return case


def claims_frozen_check(*, case: MediationCase) -> None:
    """Claims are what the agreement settled: once it is signed they do not change (an amendment does)."""
    agreement = Agreement.objects.filter(case_id=case.pk).first() if case.pk is not None else None
    if agreement is not None:
        raise ValidationError(
            _("The agreement was signed on %(on)s: its claims cannot change. Record an amendment to the agreement.")
            % {"on": f"{agreement.signed_on:%Y-%m-%d}"}
        )


def mediator_check(*, station: Station, name: str) -> None:
    """ValidationError (on ``name``) unless ``name`` is on the station's mediation team."""
    if name and name.strip() not in mediation_team_names(station):
        raise ValidationError({"name": _("%(name)s is not on this station's mediation team.") % {"name": name}})


def mediator_add(*, case: MediationCase, name: str, user=None) -> CaseMediator:
    """Add a mediator, who must be on the station's mediation team (``mediator_check``)."""
    mediator_check(station=case.station, name=name)
    mediator = CaseMediator(case=case, name=name.strip(), user=user)
    mediator.full_clean()
    mediator.save()
    return mediator


def party_add(*, case: MediationCase, role: str, name: str, mobile: str = "", credit_code: str = "") -> Party:
    """A party: a worker (with a mobile number when known) or the employer (matched to its union when its
    credit code or name is known)."""
    party = Party(case=case, role=role, name=name.strip(), mobile=normalize_mobile(mobile) if mobile else "")
    party.credit_code = credit_code.strip()
    if role == PartyRole.EMPLOYER:
        party.union = employer_union_match(name=name, credit_code=credit_code, county_code=case.station.region_id)
    party.full_clean()
    party.save()
    return party


def claim_add(
    *,
    case: MediationCase,
    description: str,
    amount_claimed: Decimal,
    party: Party | None = None,
    amount_agreed: Decimal | None = None,
    above_claim_reason: str = "",
) -> ClaimItem:
    claims_frozen_check(case=case)
    claim = ClaimItem(
        case=case,
        party=party,
        description=description.strip(),
        amount_claimed=amount_claimed,
        amount_agreed=amount_agreed,
        above_claim_reason=above_claim_reason.strip(),
    )
    claim.full_clean()
    claim.save()
    return claim


def meeting_record(
    *, case: MediationCase, held_at: dt.datetime, mode: str, place: str = "", notes: str = ""
) -> Meeting:
    meeting = Meeting(case=case, held_at=held_at, mode=mode, place=place.strip(), notes=notes.strip())
    meeting.full_clean()
    meeting.save()
    mediation_meeting_notify(meeting=meeting)
    return meeting


def _close(case: MediationCase, status: str, closed_on: dt.date, note: str, by=None, **fields) -> MediationCase:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is already closed."))
    case.status, case.closed_on, case.outcome_note = status, closed_on, note.strip()
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save()
    mediation_request_close(case=case, by=by)
    return case


@transaction.atomic
def mediation_not_settled(
    *, case: MediationCase, closed_on: dt.date, arbitration_referred_on: dt.date, note: str = "", by=None
) -> MediationCase:
    """No agreement: the parties are referred to arbitration (the usual end after the 15-day period)."""
    return _close(case, CaseStatus.NOT_SETTLED, closed_on, note, by=by, arbitration_referred_on=arbitration_referred_on)


@transaction.atomic
def mediation_withdraw(*, case: MediationCase, closed_on: dt.date, note: str = "", by=None) -> MediationCase:
    if case.status == CaseStatus.SETTLED:
        raise ValidationError({"status": _("A settled case stays settled: its agreement was signed.")})
    return _close(case, CaseStatus.WITHDRAWN, closed_on, note, by=by)


def mediation_is_overdue(case: MediationCase, today: dt.date | None = None) -> bool:
    """Still open after the 15-day period: a party may now go to arbitration."""
    return case.status == CaseStatus.OPEN and (today or timezone.localdate()) > mediation_period_ends_on(case)


@transaction.atomic
def referral_follow_up(*, referral: Referral, on: dt.date, note: str) -> Referral:
    """Record what the department the request was referred to did (the follow-up of a referral)."""
    if not note.strip():
        raise ValidationError({"follow_up_note": _("Write what the department did.")})
    if on < referral.referred_on:
        raise ValidationError({"followed_up_on": _("A follow-up cannot come before the referral.")})
    referral.followed_up_on, referral.follow_up_note = on, note.strip()
    referral.full_clean()
    referral.save()
    return referral

"""Mediation cases: opening, parties, claims, meetings, and closing with exactly one outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import CaseSource, CaseStatus, EventKind, PartyRole, RequestStatus
from casework.models import CaseMediator, ClaimItem, MediationCase, Meeting, Party, WorkerRequest
from casework.selectors.clock import mediation_period_ends_on
from casework.services.handling import request_resolve
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


@transaction.atomic
def mediation_case_save(*, case: MediationCase, by=None) -> MediationCase:
    """Save a case (from ``mediation_open`` or the admin). A new case gets its number; a new case from a
    request resolves the request with a step telling the worker the case number (the mediation period then
    governs, not the request's clock)."""
    created = case.pk is None
    if created and not case.number:
        case.number = case_number_next(case.received_on.year)
    if case.request_id:
        case.source = CaseSource.REQUEST
    case.full_clean(exclude=["number"] if created else None)
    case.save()
    request = case.request
    if created and request is not None and request.status in (RequestStatus.NEW, RequestStatus.ACCEPTED):
        request_resolve(
            request=request,
            by=by,
            resolution=_("Taken into mediation at %(station)s, case number %(number)s.")
            % {"station": case.station.name, "number": case.number},
            kind=EventKind.MEDIATION,
        )
    return case


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
    return meeting


def _close(case: MediationCase, status: str, closed_on: dt.date, note: str, **fields) -> MediationCase:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is already closed."))
    case.status, case.closed_on, case.outcome_note = status, closed_on, note.strip()
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def mediation_not_settled(
    *, case: MediationCase, closed_on: dt.date, arbitration_referred_on: dt.date, note: str = ""
) -> MediationCase:
    """No agreement: the parties are referred to arbitration (the usual end after the 15-day period)."""
    return _close(case, CaseStatus.NOT_SETTLED, closed_on, note, arbitration_referred_on=arbitration_referred_on)


@transaction.atomic
def mediation_withdraw(*, case: MediationCase, closed_on: dt.date, note: str = "") -> MediationCase:
    return _close(case, CaseStatus.WITHDRAWN, closed_on, note)


def mediation_is_overdue(case: MediationCase, today: dt.date | None = None) -> bool:
    """Still open after the 15-day period: a party may now go to arbitration."""
    return case.status == CaseStatus.OPEN and (today or timezone.localdate()) > mediation_period_ends_on(case)

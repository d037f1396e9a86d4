"""The union's side of a request: accept, assign, reply, forward up (代访代办), refer out, resolve.

Every function takes the acting staff member as ``by``; the admin has already checked they reach the request.
The clock (``acknowledge_due_on``/``resolve_due_on``) never restarts here: reassigning keeps every limit, and
forwarding gives the higher union its own level limit while the original limits stay on record."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import OPEN_STATUSES, Department, EventKind, RequestOutcome, RequestStatus
from casework.models import Referral, WorkerRequest
from casework.selectors.clock import escalation_days_for, time_limits, work_calendar
from casework.selectors.reach import handler_candidates, request_actable, request_reached
from casework.services.requests import event_add
from casework.services.routing import default_handler_id


def _locked_open(request: WorkerRequest, by=None) -> WorkerRequest:
    """The request, locked, if it is open and ``by`` (when given) acts where it is held: a request a higher
    union holds is acted on there, and the lower level only reads it."""
    request = WorkerRequest.objects.select_for_update().select_related("holder").get(pk=request.pk)
    if request.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is no longer open."))
    if by is not None and not request_actable(request, by):
        raise ValidationError(
            _("%(union)s holds this request now and handles it there; you can follow it here.")
            % {"union": request.holder}
        )
    return request


@transaction.atomic
def request_accept(*, request: WorkerRequest, by, note: str = "", now: dt.datetime | None = None) -> WorkerRequest:
    """Accept (受理): the union confirms it is handling the request; the handler becomes ``by`` when none is set.
    At the first level the current limit becomes the resolution limit."""
    now = now or timezone.now()
    request = _locked_open(request, by)
    if request.acknowledged_at is not None:
        raise ValidationError(_("This request has already been accepted."))
    request.acknowledged_at = now
    request.status = RequestStatus.ACCEPTED
    request.handler_id = request.handler_id or getattr(by, "pk", None)
    if request.escalation_level == 0:
        request.level_due_on = request.resolve_due_on
        _acknowledge_days, resolve_days = _limits(request)
        calendar = work_calendar(request.region_id)
        request.due_soon_on = calendar.due_soon(timezone.localdate(request.filed_at), resolve_days)
        request.due_soon_notified = False
    request.full_clean()
    request.save()
    event_add(request=request, kind=EventKind.ACCEPTED, at=now, actor=by, note=note.strip(), to_union=request.holder)
    return request


def _limits(request: WorkerRequest) -> tuple[int, int]:
    return time_limits(request.category, request.region_id)


@transaction.atomic
def request_assign(*, request: WorkerRequest, handler, by, now: dt.datetime | None = None) -> WorkerRequest:
    """Give the request to one named handler (reassignment keeps every time limit)."""
    now = now or timezone.now()
    request = _locked_open(request, by)
    if not (request_reached(request, handler) or handler_candidates(request, by).filter(pk=handler.pk).exists()):
        raise ValidationError({"handler": _("This person does not work for a union that can see this request.")})
    if request.handler_id == handler.pk:
        return request
    request.handler = handler
    request.full_clean()
    request.save()
    event_add(
        request=request,
        kind=EventKind.ASSIGNED,
        at=now,
        actor=by,
        note=handler.get_full_name() or handler.get_username(),
    )
    return request


@transaction.atomic
def request_respond(*, request: WorkerRequest, by, message: str, now: dt.datetime | None = None) -> WorkerRequest:
    """A reply the worker reads on the status page (有回应)."""
    now = now or timezone.now()
    request = _locked_open(request, by)
    if not message.strip():
        raise ValidationError({"message": _("Write the reply to the worker.")})
    event_add(request=request, kind=EventKind.RESPONDED, at=now, actor=by, note=message.strip())
    return request


def escalate_in_memory(request: WorkerRequest, today: dt.date) -> None:
    """Move a request one union up, with the new level's own limit: the same rule the sweep applies in SQL."""
    request.escalation_level += 1
    days = escalation_days_for(request.escalation_level)
    calendar = work_calendar(request.region_id)
    request.holder = request.holder.parent
    request.handler_id = default_handler_id(request.holder)
    request.level_due_on = calendar.add_working_days(today, days)
    request.due_soon_on = calendar.due_soon(today, days)
    request.due_soon_notified = False
    request.due_provisional = request.due_provisional or calendar.provisional(today, request.level_due_on)


@transaction.atomic
def request_forward(*, request: WorkerRequest, by, reason: str, now: dt.datetime | None = None) -> WorkerRequest:
    """代访代办: the matter is outside this union's authority, so the higher union takes it on the worker's
    behalf. The clock keeps running."""
    now = now or timezone.now()
    request = _locked_open(request, by)
    if not reason.strip():
        raise ValidationError({"message": _("Say why this is outside your union's authority.")})
    from_union = request.holder
    if from_union.parent_id is None:
        raise ValidationError(_("%(union)s has no higher union to forward to.") % {"union": from_union})
    escalate_in_memory(request, timezone.localdate(now))
    request.full_clean()
    request.save()
    event_add(
        request=request,
        kind=EventKind.FORWARDED,
        at=now,
        actor=by,
        note=reason.strip(),
        from_union=from_union,
        to_union=request.holder,
    )
    return request


@transaction.atomic
def request_resolve(
    *,
    request: WorkerRequest,
    by,
    resolution: str,
    outcome: str = "",
    now: dt.datetime | None = None,
    kind: str = EventKind.RESOLVED,
) -> WorkerRequest:
    """Resolve (办结) with what was done, in words the worker understands, and how it ended (``outcome``: a
    ``RequestOutcome``; the admin asks for it); the worker may then rate it or ask to reopen it."""
    now = now or timezone.now()
    # Taken into mediation: the station's mediation desk takes the case whoever holds the request (the
    # mediation service's rules decide who may open a case), so only the other resolutions are the holder's.
    request = _locked_open(request, by if kind != EventKind.MEDIATION else None)
    if not resolution.strip():
        raise ValidationError({"message": _("Write what was done, for the worker to read.")})
    request.acknowledged_at = request.acknowledged_at or now
    request.handler_id = request.handler_id or getattr(by, "pk", None)
    request.status = RequestStatus.RESOLVED
    request.resolved_at = now
    request.resolution = resolution.strip()
    request.outcome = outcome or request.outcome
    request.full_clean()
    request.save()
    event_add(request=request, kind=kind, at=now, actor=by, note=request.resolution)
    return request


@transaction.atomic
def request_refer(
    *,
    request: WorkerRequest,
    by,
    department: str,
    department_name: str = "",
    note: str = "",
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Pass the request to another department (labour inspection, arbitration, a court, social insurance).
    The referral is recorded and the union's part is resolved with it."""
    now = now or timezone.now()
    if department not in Department.values:
        raise ValidationError({"department": _("Choose the department.")})
    referral = Referral(
        request=request,
        department=department,
        department_name=department_name.strip(),
        referred_on=on or timezone.localdate(now),
        note=note.strip(),
        referred_by=by,
    )
    referral.full_clean()
    referral.save()
    label = department_name.strip() or Department(department).label
    text = _("Referred to %(department)s.") % {"department": label}
    request_resolve(
        request=request,
        by=by,
        resolution=f"{text} {note.strip()}".strip(),
        outcome=RequestOutcome.REFERRED,
        now=now,
        kind=EventKind.REFERRED,
    )
    return referral


@transaction.atomic
def request_to_mediation(*, request: WorkerRequest, by, note: str, now: dt.datetime | None = None) -> WorkerRequest:
    """Mediation is a stage of the request, not its end: the request waits "in mediation" (off the sweep's clock,
    not resolved) until the case closes (``request_mediation_end``)."""
    now = now or timezone.now()
    request = _locked_open(request)
    request.acknowledged_at = request.acknowledged_at or now
    request.handler_id = request.handler_id or getattr(by, "pk", None)
    request.status = RequestStatus.MEDIATION
    request.full_clean()
    request.save()
    event_add(request=request, kind=EventKind.MEDIATION, at=now, actor=by, note=note.strip())
    return request


@transaction.atomic
def request_mediation_end(
    *, request: WorkerRequest, by, resolution: str, outcome: str, now: dt.datetime | None = None
) -> WorkerRequest:
    """The case closed: the request is resolved with the case's outcome (the worker may then rate or reopen it)."""
    now = now or timezone.now()
    request = WorkerRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.MEDIATION:
        return request
    request.status, request.resolved_at = RequestStatus.RESOLVED, now
    request.resolution, request.outcome = resolution.strip(), outcome
    request.full_clean()
    request.save()
    event_add(request=request, kind=EventKind.RESOLVED, at=now, actor=by, note=request.resolution)
    return request

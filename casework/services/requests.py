"""The worker's side of a request: filing it, finding it again, rating the result, asking to reopen."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import GOOD_POINTS, EventKind, RequestStatus
from casework.models import RequestAttachment, RequestEvent, WorkerRequest
from casework.selectors.clock import time_limits, work_calendar
from casework.services.attachments import attachments_check
from casework.services.notices import NOTIFIED_KINDS, notify_on_commit
from casework.services.routing import request_route
from stations.models import Station
from unionhub.models import UnionOrganization
from unionhub.validators import normalize_mobile


def event_add(
    *, request: WorkerRequest, kind: str, at: dt.datetime, actor=None, note: str = "", **unions
) -> RequestEvent:
    """One step on the timeline (``from_union``/``to_union`` optional); the people concerned are told after
    commit (``casework.services.notices``)."""
    event = RequestEvent(request=request, kind=kind, at=at, actor=actor, note=note, **unions)
    event.full_clean()
    event.save()
    if kind in NOTIFIED_KINDS:
        notify_on_commit([event.pk])
    return event


@transaction.atomic
def request_file(
    *,
    category: str,
    employer_name: str,
    description: str,
    wanted: str,
    mobile: str,
    consent: bool,
    employer_credit_code: str = "",
    name: str = "",
    station: Station | None = None,
    source_union: UnionOrganization | None = None,
    county_code: str | None = None,
    attachments=(),
    now: dt.datetime | None = None,
) -> WorkerRequest:
    """File a worker's request: route it, start its clock, record the first two steps.

    Time limits count working days after the filing date in the county the request is routed to (see
    ``WorkCalendar.add_working_days``). Nothing is written unless everything is valid."""
    if not consent:
        raise ValidationError({"consent": _("Please agree to the personal-information notice to continue.")})
    checked = attachments_check(attachments)
    now = now or timezone.now()
    routing = request_route(
        employer_name=employer_name,
        employer_credit_code=employer_credit_code,
        station=station,
        source_union=source_union,
        county_code=county_code,
    )
    county = routing.region.code[:6]
    acknowledge_days, resolve_days = time_limits(category, county)
    calendar = work_calendar(county)
    today = timezone.localdate(now)
    acknowledge_due = calendar.add_working_days(today, acknowledge_days)
    resolve_due = calendar.add_working_days(today, resolve_days)
    request = WorkerRequest(
        category=category,
        employer_name=employer_name.strip(),
        employer_credit_code=(employer_credit_code or "").strip().upper(),
        employer_union=routing.employer_union,
        description=description.strip(),
        wanted=wanted.strip(),
        name=name.strip(),
        mobile=normalize_mobile(mobile),
        consented_at=now,
        station=station,
        source_union=source_union,
        region=routing.region,
        holder=routing.holder,
        handler_id=routing.handler_id,
        filed_at=now,
        acknowledge_due_on=acknowledge_due,
        resolve_due_on=resolve_due,
        level_due_on=acknowledge_due,
        due_soon_on=calendar.due_soon(today, acknowledge_days),
        due_provisional=calendar.provisional(today, resolve_due),  # counted across a year not loaded yet
    )
    request.full_clean()
    request.save()
    event_add(request=request, kind=EventKind.FILED, at=now)
    event_add(request=request, kind=EventKind.ROUTED, at=now, to_union=routing.holder)
    for upload, content_type in checked:
        attachment = RequestAttachment(request=request, content_type=content_type, size=upload.size)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    return request


def request_lookup(*, reference: str, mobile: str) -> WorkerRequest | None:
    """The request with this reference *and* mobile number, or None - a wrong number and a missing request
    look the same."""
    try:
        mobile = normalize_mobile(mobile)
    except ValidationError:
        return None
    return (
        WorkerRequest.objects.select_related("holder", "handler")
        .filter(reference=(reference or "").strip().upper(), mobile=mobile)
        .first()
    )


@transaction.atomic
def request_rate(
    *, request: WorkerRequest, rating: int, good: list[str] | None = None, comment: str = "", now=None
) -> WorkerRequest:
    """The worker's rating of a resolved request (有评判); closes it. Once only."""
    now = now or timezone.now()
    request = WorkerRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.RESOLVED:
        raise ValidationError(_("Only a resolved request can be rated, and only once."))
    unknown = set(good or []) - set(GOOD_POINTS)
    if unknown:
        raise ValidationError({"rating_good": _("Unknown choice.")})
    request.rating, request.rating_good, request.rating_comment = rating, list(good or []), comment.strip()
    request.rated_at = now
    request.status = RequestStatus.CLOSED
    request.full_clean()
    request.save()
    event_add(request=request, kind=EventKind.RATED, at=now, note=_("%(n)s of 5") % {"n": rating})
    return request


def reopen_deadline(request: WorkerRequest) -> dt.date | None:
    if request.resolved_at is None:
        return None
    return timezone.localdate(request.resolved_at) + dt.timedelta(days=settings.CASEWORK_REOPEN_DAYS)


def can_reopen(request: WorkerRequest, now=None) -> bool:
    deadline = reopen_deadline(request)
    return (
        request.status == RequestStatus.RESOLVED
        and deadline is not None
        and timezone.localdate(now or timezone.now()) <= deadline
    )


@transaction.atomic
def request_reopen(*, request: WorkerRequest, reason: str, now=None) -> WorkerRequest:
    """The worker is not satisfied and asks, within ``CASEWORK_REOPEN_DAYS`` of the resolution and before
    rating, for the request to be taken up again. It goes back to the union that resolved it, with a fresh
    resolution limit for that union; the original limits stay on record (the figures count against them)."""
    now = now or timezone.now()
    request = WorkerRequest.objects.select_for_update().get(pk=request.pk)
    if not can_reopen(request, now):
        raise ValidationError(_("This request can no longer be reopened. Please file a new one."))
    if not reason.strip():
        raise ValidationError({"reason": _("Please say what is still not resolved.")})
    _acknowledge_days, resolve_days = time_limits(request.category, request.region_id)
    calendar = work_calendar(request.region_id)
    today = timezone.localdate(now)
    request.status = RequestStatus.ACCEPTED
    request.resolved_at = None
    request.reopen_count += 1
    request.level_due_on = calendar.add_working_days(today, resolve_days)
    request.due_soon_on = calendar.due_soon(today, resolve_days)
    request.due_soon_notified = False
    request.due_provisional = request.due_provisional or calendar.provisional(today, request.level_due_on)
    request.full_clean()
    request.save()
    event_add(request=request, kind=EventKind.REOPENED, at=now, note=reason.strip())
    return request

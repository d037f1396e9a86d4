"""Demo requests: national time limits, union desks with their handlers, a year of requests, and open requests
dated from the day the demo is loaded - in every state, some overdue or due soon, one held at the top of the
hierarchy - so the queue, the overdue count and the sweep show something out of the box."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.choices import EventKind, RequestCategory, RequestStatus
from casework.models import RequestEvent, TimeLimit, UnionHandler, WorkerRequest
from casework.selectors.clock import work_calendar
from stations.models import Station
from unionhub.demo import DEMO_PASSWORD, QINSHUI
from unionhub.models import OrganizationKind, UnionOrganization

LIMITS = {RequestCategory.ADVICE: (1, 3), RequestCategory.WORK_INJURY: (1, 15)}
PREFIX = "D"
YEAR = 2025
COUNT = 600


def seed_settings(core) -> dict:
    """National default limits per category; the county federation's desk (the county staff) and one
    grassroots union chair as handlers."""
    for category in RequestCategory.values:
        ack, resolve = LIMITS.get(category, (1, 7))
        TimeLimit.objects.get_or_create(
            category=category, region=None, defaults={"acknowledge_days": ack, "resolve_days": resolve}
        )
    User = get_user_model()
    chair, created = User.objects.get_or_create(
        username="lijianguo", defaults={"first_name": "嘉峰煤业工会主席 李建国", "is_staff": True}
    )
    if created:
        chair.set_password(DEMO_PASSWORD)
        chair.save()
    coal = UnionOrganization.objects.get(name="沁水县嘉峰煤业有限公司工会")
    UnionHandler.objects.get_or_create(union=coal, user=chair, defaults={"is_default": True})
    UnionHandler.objects.get_or_create(
        union=core.county_federation, user=core.users["qinshui"], defaults={"is_default": True}
    )
    return {coal.pk: chair.pk, core.county_federation.pk: core.users["qinshui"].pk}


def seed_requests(core, handlers: dict) -> None:
    if WorkerRequest.objects.filter(reference__startswith=f"{PREFIX}{YEAR % 100}").exists():
        return
    rng = random.Random(YEAR)
    tz = timezone.get_current_timezone()
    calendar = work_calendar(QINSHUI)
    county = core.county_federation
    grassroots = list(
        UnionOrganization.objects.filter(region__code__startswith=QINSHUI, kind=OrganizationKind.GRASSROOTS)
        .exclude(is_holding_pool=True)
        .select_related("region")
    )
    stations = list(Station.objects.filter(region__code__startswith=QINSHUI, kind="labour"))
    categories = RequestCategory.values
    requests, plans = [], []
    for n in range(COUNT):
        filed = dt.datetime(YEAR, 1, 2, 9, tzinfo=tz) + dt.timedelta(days=rng.randrange(355), hours=rng.randrange(9))
        union = rng.choice(grassroots) if rng.random() < 0.6 else None
        station = rng.choice(stations) if union is None and stations and rng.random() < 0.6 else None
        holder = union or county
        category = rng.choice(categories)
        ack_days, resolve_days = LIMITS.get(category, (1, 7))
        day = filed.date()
        ack_due, resolve_due = calendar.add_working_days(day, ack_days), calendar.add_working_days(day, resolve_days)
        late = rng.random() < 0.12
        accepted = filed + dt.timedelta(hours=rng.randrange(2, 30))
        resolved = filed + dt.timedelta(
            days=rng.randrange(resolve_days + 4, resolve_days + 12) if late else rng.randrange(1, resolve_days + 1),
            hours=2,
        )
        escalated = late and holder.parent_id is not None
        rated = rng.random() < 0.7
        request = WorkerRequest(
            reference=f"{PREFIX}{YEAR % 100}{n:07d}",
            category=category,
            employer_name=union.employer if union else rng.choice(["某建筑劳务公司", "某外卖配送站", "某商贸有限公司"]),
            employer_union=union,
            description="拖欠工资两个月。" if category == "wages" else "咨询相关权益。",
            wanted="依法处理。",
            mobile=f"139{rng.randrange(10**8):08d}",
            consented_at=filed,
            station=station,
            region_id=(union.region_id if union else station.region_id if station else QINSHUI),
            holder=holder.parent if escalated else holder,
            handler_id=handlers.get(holder.pk),
            status=RequestStatus.CLOSED if rated else RequestStatus.RESOLVED,
            escalation_level=1 if escalated else 0,
            filed_at=filed,
            acknowledged_at=accepted,
            resolved_at=resolved,
            acknowledge_due_on=ack_due,
            resolve_due_on=resolve_due,
            level_due_on=resolve_due,
            due_soon_on=calendar.due_soon(day, resolve_days),
            resolution="已协调企业依法处理，职工诉求已解决。",
            rating=rng.choice([5, 5, 5, 4, 4, 3]) if rated else None,
            rating_good=["fast", "result"] if rated else [],
            rated_at=resolved + dt.timedelta(days=1) if rated else None,
        )
        requests.append(request)
        plans.append((request, holder, accepted, resolved, escalated))
    WorkerRequest.objects.bulk_create(requests, batch_size=500)
    events = []
    for request, holder, accepted, resolved, escalated in plans:
        events += [
            RequestEvent(request=request, kind=EventKind.FILED, at=request.filed_at, note=""),
            RequestEvent(request=request, kind=EventKind.ROUTED, at=request.filed_at, to_union=holder, note=""),
            RequestEvent(request=request, kind=EventKind.ACCEPTED, at=accepted, to_union=holder, note=""),
        ]
        if escalated:
            at = dt.datetime.combine(request.resolve_due_on + dt.timedelta(days=1), dt.time(9), tzinfo=resolved.tzinfo)
            events.append(
                RequestEvent(
                    request=request,
                    kind=EventKind.ESCALATED,
                    at=min(at, resolved),
                    from_union=holder,
                    to_union=holder.parent,
                    note="",
                )
            )
        events.append(RequestEvent(request=request, kind=EventKind.RESOLVED, at=resolved, note=request.resolution))
        if request.rated_at:
            events.append(RequestEvent(request=request, kind=EventKind.RATED, at=request.rated_at, note=""))
    RequestEvent.objects.bulk_create(events, batch_size=1000)


OPEN_PREFIX = "Q"
# (suffix, union: "coal"/"county"/"city", status, working days since filing, limit in working days, handled
# until the day before: "escalated" once to the holder, or None)
OPEN_REQUESTS = [
    ("01", "coal", RequestStatus.NEW, 0, 1),  # filed today: to accept by the next working day
    ("02", "coal", RequestStatus.NEW, 4, 1),  # not accepted in time: overdue, the sweep escalates it
    ("03", "coal", RequestStatus.ACCEPTED, 2, 7),  # being handled, on time
    ("04", "coal", RequestStatus.ACCEPTED, 6, 7),  # due soon (the 6th of 7 working days)
    ("05", "coal", RequestStatus.ACCEPTED, 10, 7),  # past its limit: overdue
    ("06", "county", RequestStatus.NEW, 1, 1),  # at the county's desk, due today
    ("07", "county", RequestStatus.ACCEPTED, 9, 7),  # the county's, overdue: the sweep passes it to the city
    ("08", "city", RequestStatus.ACCEPTED, 8, 3),  # escalated to the top (the city): overdue, nowhere higher
    ("09", "coal", RequestStatus.RESOLVED, 3, 7),  # resolved yesterday: waiting for the worker's rating
]


def _working_days_before(calendar, day: dt.date, days: int) -> dt.date:
    while days:
        day -= dt.timedelta(days=1)
        days -= calendar.is_workday(day)
    return day


def seed_open_requests(core, handlers: dict, today: dt.date | None = None) -> None:
    """Open requests in every state, dated back from ``today`` on the working-day clock (so the overdue ones
    are overdue whenever the demo is loaded). Once: a second run finds them and writes nothing."""
    if WorkerRequest.objects.filter(reference__startswith=OPEN_PREFIX).exists():
        return
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    calendar = work_calendar(QINSHUI)
    coal = UnionOrganization.objects.get(name="沁水县嘉峰煤业有限公司工会")
    county = core.county_federation
    unions = {"coal": coal, "county": county, "city": county.parent or county}
    plans = []
    for suffix, where, status, age, limit in OPEN_REQUESTS:
        holder = unions[where]
        level = 1 if where == "city" else 0
        day = _working_days_before(calendar, today, age)
        filed = dt.datetime.combine(day, dt.time(9, 30), tzinfo=tz)
        ack_due = calendar.add_working_days(day, 1)
        resolve_due = calendar.add_working_days(day, 7)
        level_due = calendar.add_working_days(day, limit)
        accepted = filed + dt.timedelta(hours=3) if status != RequestStatus.NEW else None
        resolved = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(16), tzinfo=tz)
        request = WorkerRequest(
            reference=f"{OPEN_PREFIX}{YEAR % 100 + 1}{suffix:>07}",
            category=RequestCategory.WAGES if int(suffix) % 2 else RequestCategory.CONTRACT,
            employer_name=coal.employer if where == "coal" else "某建筑劳务公司",
            employer_union=coal if where == "coal" else None,
            description="拖欠工资两个月，多次讨要未果。",
            wanted="依法结清工资。",
            name="王师傅",
            mobile=f"1390000{int(suffix):04d}",
            consented_at=filed,
            region_id=coal.region_id if where == "coal" else QINSHUI,
            holder=holder,
            handler_id=handlers.get(holder.pk),
            status=status,
            escalation_level=level,
            filed_at=filed,
            acknowledged_at=accepted,
            resolved_at=resolved if status == RequestStatus.RESOLVED else None,
            acknowledge_due_on=ack_due,
            resolve_due_on=resolve_due,
            level_due_on=level_due,
            due_soon_on=calendar.due_soon(day, limit),
            due_provisional=calendar.provisional(day, max(resolve_due, level_due)),
            resolution="已协调企业补发工资。" if status == RequestStatus.RESOLVED else "",
        )
        plans.append((request, holder, accepted, level))
    WorkerRequest.objects.bulk_create([request for request, *_rest in plans])
    events = []
    for request, holder, accepted, level in plans:
        routed_to = county if level else holder
        events += [
            RequestEvent(request=request, kind=EventKind.FILED, at=request.filed_at, note=""),
            RequestEvent(request=request, kind=EventKind.ROUTED, at=request.filed_at, to_union=routed_to, note=""),
        ]
        if level:
            events.append(
                RequestEvent(
                    request=request,
                    kind=EventKind.ESCALATED,
                    at=request.filed_at + dt.timedelta(hours=1),
                    from_union=county,
                    to_union=holder,
                    note="",
                )
            )
        if accepted:
            events.append(RequestEvent(request=request, kind=EventKind.ACCEPTED, at=accepted, to_union=holder, note=""))
        if request.resolved_at:
            events.append(
                RequestEvent(request=request, kind=EventKind.RESOLVED, at=request.resolved_at, note=request.resolution)
            )
    RequestEvent.objects.bulk_create(events)

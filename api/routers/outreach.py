"""Outreach through the API: the staff's read access to the employers register, visits, outreach teams,
events, pop-up joining desks and service projects (outreach's list selectors: the same scope, FilterSets and
search as the admin's lists), and, for the worker, the coming events, signing up for one (the sign-up page's
service, consent required, the same rate limit) and their own sign-ups and tickets."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from api.routers.lists import Col, ListSpec, add_list_endpoints, history_changed_since
from api.views.problems import Problem, django_validation_problem
from api.views.security import WorkerToken, limit, verified_mobile
from api.views.text import zh
from outreach.models import Employer, Event, JoiningDesk, OutreachTeam, ServiceProject, SignUp, Visit
from outreach.selectors.lists import desk_list, employer_list, event_list, project_list, team_list, visit_list
from outreach.services import signup_cancel, signup_create
from outreach.views.public import SIGNUP_RATE

EVENTS_MAX = 50

SPECS = [
    ListSpec(
        key="employers",
        model=Employer,
        select=employer_list,
        related=("union",),
        changed_since=history_changed_since,
        columns=[
            Col("id", int, _("Internal id.")),
            Col("credit_code", str, _("Unified social credit code.")),
            Col("name", str, _("Name.")),
            Col("town", str, _("Town or subdistrict (GB/T 2260 code)."), "town_id"),
            Col("industry", str, _("Industry (code).")),
            Col("workers", int, _("Workers.")),
            Col("is_platform", bool, _("Platform company.")),
            Col("union", int, _("Union (id)."), "union_id"),
            Col("stage", str, _("Funnel stage (code).")),
            Col("stage_changed_at", dt.datetime, _("Stage changed at.")),
        ],
    ),
    ListSpec(
        key="visits",
        model=Visit,
        select=visit_list,
        related=("employer", "team"),
        changed_since=history_changed_since,
        columns=[
            Col("id", int, _("Internal id.")),
            Col("employer", int, _("Employer (id)."), "employer_id"),
            Col("employer_name", str, _("Employer."), "employer__name"),
            Col("team", int, _("Outreach team (id)."), "team_id"),
            Col("team_name", str, _("Outreach team."), "team__name"),
            Col("visited_on", dt.date, _("Date.")),
            Col("visitors", str, _("Who went.")),
            Col("met", str, _("Whom they met.")),
            Col("said", str, _("What was said.")),
            Col("next_step", str, _("Next step.")),
            Col("outcome", str, _("Outcome (code).")),
            Col("project", int, _("Service project (id)."), "project_id"),
        ],
    ),
    ListSpec(
        key="teams",
        model=OutreachTeam,
        select=team_list,
        changed_since=history_changed_since,
        columns=[
            Col("id", int, _("Internal id.")),
            Col("name", str, _("Name.")),
            Col("county", str, _("County (code)."), "county_id"),
        ],
    ),
    ListSpec(
        key="events",
        model=Event,
        select=event_list,
        related=("station", "kind"),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("code", str, _("Event code (the sign-up QR code's).")),
            Col("title", str, _("Title.")),
            Col("kind", str, _("Kind of activity."), "kind__name"),
            Col("station", str, _("Station code, if held at one."), "station__code"),
            Col("region", str, _("Town or county (code)."), "region_id"),
            Col("place", str, _("Place.")),
            Col("starts_at", dt.datetime, _("Starts at.")),
            Col("ends_at", dt.datetime, _("Ends at.")),
            Col("capacity", int, _("Capacity (0: no limit).")),
            Col("cancelled", bool, _("Cancelled.")),
            Col("suggestions", int, _("Suggestions collected.")),
            Col("project", int, _("Service project (id)."), "project_id"),
        ],
    ),
    ListSpec(
        key="desks",
        model=JoiningDesk,
        select=desk_list,
        related=("union",),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("code", str, _("Desk code (its QR code's).")),
            Col("name", str, _("Name.")),
            Col("union", int, _("Union joined through it (id)."), "union_id"),
            Col("union_name", str, _("Union joined through it."), "union__name"),
            Col("event", int, _("Event (id)."), "event_id"),
            Col("place", str, _("Place.")),
            Col("starts_at", dt.datetime, _("Opens at.")),
            Col("ends_at", dt.datetime, _("Closes at.")),
            Col("project", int, _("Service project (id)."), "project_id"),
        ],
    ),
    ListSpec(
        key="projects",
        model=ServiceProject,
        select=project_list,
        columns=[
            Col("id", int, _("Internal id.")),
            Col("year", int, _("Year.")),
            Col("title", str, _("Title.")),
            Col("county", str, _("County (code)."), "county_id"),
            Col("owner", str, _("Owner unit.")),
            Col("target", int, _("Target.")),
            Col("measure", str, _("Measure (code).")),
            Col("headline", bool, _("County headline target.")),
        ],
    ),
]

staff = Router(tags=[zh(_("Staff: outreach"))])
for _spec in SPECS:
    add_list_endpoints(staff, _spec)

# --- the worker ------------------------------------------------------------------------------------------------

worker = Router(tags=[zh(_("Worker: events"))])


class EventOut(Schema):
    code: str = Field(..., description=zh(_("Event code (the sign-up QR code's).")))
    title: str = Field(..., description=zh(_("Title.")))
    kind: str = Field(..., description=zh(_("Kind of activity.")))
    station: str | None = Field(None, description=zh(_("Station code, if held at one.")))
    station_name: str | None = Field(None, description=zh(_("Station, if held at one.")))
    place: str = Field("", description=zh(_("Place.")))
    starts_at: dt.datetime = Field(..., description=zh(_("Starts at.")))
    ends_at: dt.datetime = Field(..., description=zh(_("Ends at.")))
    capacity: int = Field(..., description=zh(_("Capacity (0: no limit).")))
    places_left: int | None = Field(None, description=zh(_("Places left (null: no limit).")))


class SignUpIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., max_length=50, description=zh(_("Your name")))
    is_member: bool = Field(False, description=zh(_("I am a union member")))
    consent: bool = Field(
        ..., description=zh(_("I agree that the union keeps my name and mobile number for this event."))
    )


class TicketOut(Schema):
    code: str = Field(..., description=zh(_("Ticket code: what the door scans (show it as a QR code).")))
    name: str = Field(..., description=zh(_("Name signed up with.")))
    event: EventOut = Field(..., description=zh(_("The event.")))
    signed_up_at: dt.datetime = Field(..., description=zh(_("Signed up at.")))
    cancelled: bool = Field(..., description=zh(_("Whether the sign-up was cancelled.")))
    checked_in: bool = Field(..., description=zh(_("Whether the worker has checked in at the door.")))
    ticket_page: str = Field(..., description=zh(_("The ticket's phone page (with its QR code), a path.")))


def _coming():
    """Events still to come or under way, not cancelled, with their sign-ups counted."""
    return (
        Event.objects.filter(cancelled=False, ends_at__gte=timezone.now())
        .select_related("station", "kind")
        .annotate(taken=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
    )


def event_out(event: Event) -> dict:
    taken = getattr(event, "taken", None)
    if taken is None:
        taken = event.signups.filter(cancelled_at__isnull=True).count()
    return {
        "code": event.code,
        "title": event.title,
        "kind": str(event.kind),
        "station": event.station.code if event.station_id else None,
        "station_name": event.station.name if event.station_id else None,
        "place": event.place,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "capacity": event.capacity,
        "places_left": max(event.capacity - taken, 0) if event.capacity else None,
    }


def ticket_out(signup: SignUp) -> dict:
    return {
        "code": signup.code,
        "name": signup.name,
        "event": event_out(signup.event),
        "signed_up_at": signup.created_at,
        "cancelled": signup.cancelled_at is not None,
        "checked_in": signup.checked_in_at is not None,
        "ticket_page": reverse("outreach:ticket", kwargs={"code": signup.code}),
    }


@worker.get(
    "/events/",
    response=list[EventOut],
    summary=zh(_("Coming events")),
    description=zh(
        _(
            "Events still to come or under way (not cancelled), soonest first: ?station= a station's code, "
            "?county= a county's code (its towns' events too). At most 50. No login needed."
        )
    ),
)
def events(request):
    rows = _coming()
    station, county = request.GET.get("station", "")[:30], request.GET.get("county", "")[:12]
    if station:
        rows = rows.filter(station__code=station)
    if county:
        if not county.isdigit():
            message = str(_("Give the county as its code (digits)."))
            raise Problem(400, message, errors={"county": [message]})
        rows = rows.filter(region__code__startswith=county)
    return [event_out(e) for e in rows.order_by("starts_at", "pk")[:EVENTS_MAX]]


def _event(code: str) -> Event:
    event = _coming().filter(code=code.upper()[:8]).first()
    if event is None:
        raise Problem(404, str(_("There is no such event, or it is over or cancelled.")))
    return event


@worker.get(
    "/events/{code}/",
    response=EventOut,
    summary=zh(_("An event")),
    description=zh(_("One coming event by its code (the sign-up QR code's), with the places left.")),
)
def event_detail(request, code: str):
    return event_out(_event(code))


@worker.post(
    "/events/{code}/signups/",
    response={201: TicketOut},
    auth=WorkerToken(),
    summary=zh(_("Sign up for an event")),
    description=zh(
        _(
            "The sign-up page's service with the login's verified mobile number: consent required, one sign-up "
            "per mobile number, refused when the event is full; limited per network as the page. Answers the "
            "ticket whose code the door scans."
        )
    ),
)
def event_signup(request, code: str, payload: SignUpIn):
    mobile = verified_mobile(request)
    event = _event(code)
    limit(request, group="outreach.signup.ip", rate=SIGNUP_RATE)
    try:
        signup = signup_create(
            event=event, name=payload.name, mobile=mobile, consent=payload.consent, is_member=payload.is_member
        )
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    return Status(201, ticket_out(signup))


def _mine(request):
    return SignUp.objects.filter(mobile=verified_mobile(request)).select_related("event__station", "event__kind")


@worker.get(
    "/signups/",
    response=list[TicketOut],
    auth=WorkerToken(),
    summary=zh(_("My sign-ups")),
    description=zh(_("The sign-ups made with the login's verified mobile number, newest first (at most 50).")),
)
def my_signups(request):
    return [ticket_out(s) for s in _mine(request).order_by("-created_at", "-pk")[:50]]


def _ticket(request, code: str) -> SignUp:
    signup = _mine(request).filter(code=code.upper()[:8]).first()
    if signup is None:
        raise Problem(404, str(_("No sign-up of yours has this code.")))
    return signup


@worker.get(
    "/signups/{code}/",
    response=TicketOut,
    auth=WorkerToken(),
    summary=zh(_("My ticket")),
    description=zh(_("One of the worker's sign-ups by its ticket code; another person's is not found.")),
)
def my_ticket(request, code: str):
    return ticket_out(_ticket(request, code))


@worker.post(
    "/signups/{code}/cancel/",
    response=TicketOut,
    auth=WorkerToken(),
    summary=zh(_("Cancel my sign-up")),
    description=zh(_("Cancels one of the worker's sign-ups (not after checking in at the door).")),
)
def my_ticket_cancel(request, code: str):
    signup = _ticket(request, code)
    if signup.cancelled_at is None:
        try:
            signup_cancel(signup=signup)
        except ValidationError as exc:
            raise django_validation_problem(exc) from None
    return ticket_out(signup)

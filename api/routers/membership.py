"""Membership through the API: the staff's member register and review queue (read, and deciding an
application through the admin's services), and, for the worker, applying to join and following the
application - with the join page's form, rate limits and consent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from api.routers.lists import STAFF_AUTH, Col, ListSpec, add_list_endpoints, fields_changed_since, history_changed_since
from api.views.problems import Problem, django_validation_problem, form_problem
from api.views.security import WorkerToken, limit, limits, verified_mobile
from api.views.text import zh
from membership import services
from membership.choices import ApplicationStatus, BatchAction
from membership.forms.join import JoinForm, county_names
from membership.models import Member, MembershipApplication
from membership.selectors.lists import application_list, applications_reached, member_list
from stations.selectors.registry import public_stations
from unionhub.models.regions import UnionOrganization
from unionhub.scoping import scope_queryset

PERSON = [
    Col("id", int, _("Internal id.")),
    Col("name", str, _("Name.")),
    Col("resident_id", str, _("Resident ID number (masked unless revealed).")),
    Col("mobile", str, _("Mobile number (masked unless revealed).")),
    Col("gender", str, _("Gender (code).")),
    Col("birth_date", dt.date, _("Birth date.")),
    Col("employer", str, _("Employer.")),
    Col("occupation", str, _("Occupation (code).")),
]

SPECS = [
    ListSpec(
        key="members",
        model=Member,
        select=member_list,
        changed_since=history_changed_since,
        order=("-join_date", "-card_number"),  # the admin's order, served by member_county_join_order
        columns=[
            *PERSON,
            Col("union", int, _("Union (id)."), "union_id"),
            Col("county", str, _("County (code)."), "county_id"),
            Col("card_number", str, _("Membership card number.")),
            Col("join_date", dt.date, _("Join date.")),
            Col("status", str, _("Status (code).")),
            Col("source", str, _("Source (code).")),
            Col("created_at", dt.datetime, _("Registered at.")),
        ],
    ),
    ListSpec(
        key="applications",
        model=MembershipApplication,
        select=application_list,
        every_row={"status": "all"},
        changed_since=fields_changed_since("submitted_at", "decided_at", "notified_at"),
        columns=[
            *PERSON,
            Col("reference", str, _("Reference number.")),
            Col("union", int, _("Union applied to (id)."), "union_id"),
            Col("county", str, _("Reviewing county (code)."), "county_id"),
            Col("channel", str, _("Channel (code).")),
            Col("submitted_at", dt.datetime, _("Submitted at.")),
            Col("status", str, _("Status (code): pending, approved, rejected.")),
            Col("decided_at", dt.datetime, _("Decided at.")),
            Col("rejection_reason", str, _("Reason given for a rejection.")),
            Col("member", int, _("Member made or found (id)."), "member_id"),
        ],
    ),
]

staff = Router(tags=[zh(_("Staff: membership"))])
for _spec in SPECS:
    add_list_endpoints(staff, _spec)


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: BatchAction = Field(..., description=zh(_("approve or reject.")))
    union: int | None = Field(None, description=zh(_("Approve into this union (id); default as the admin does.")))
    reason: str = Field("", max_length=500, description=zh(_("The reason the worker reads (a rejection needs one).")))


class DecisionOut(Schema):
    id: int = Field(..., description=zh(_("Internal id.")))
    status: str = Field(..., description=zh(_("Status (code): pending, approved, rejected.")))
    member: int | None = Field(None, description=zh(_("Member made or found (id).")))
    card_number: str | None = Field(None, description=zh(_("Membership card number.")))


@staff.post(
    "/applications/{id}/decision/",
    response=DecisionOut,
    auth=STAFF_AUTH,
    summary=zh(_("Decide an application")),
    description=zh(
        _(
            "Approve or reject one pending application your account reaches, as the review queue's buttons do "
            "(the same service: a card number, the worker told). Needs the change permission on applications."
        )
    ),
)
def application_decide(request, id: int, payload: DecisionIn):
    application = applications_reached(request.user).filter(pk=id).first()
    if application is None:
        raise Problem(404, str(_("There is no such object, or it is outside your reach.")))
    if not request.user.has_perm("membership.change_membershipapplication"):
        raise Problem(403, str(_("Your account may not do this.")))
    union = None
    if payload.union is not None:
        # A union the user reaches (the scoping rule), in the application's county.
        reached = scope_queryset(UnionOrganization.objects.all(), request.user)
        union = reached.filter(pk=payload.union, region__code__startswith=application.county_id).first()
        if union is None:
            message = str(_("Choose a union of the application's county."))
            raise Problem(400, message, errors={"union": [message]})
    try:
        if payload.action == BatchAction.APPROVE:
            member = services.application_approve(application=application, by=request.user, union=union)
        else:
            services.application_reject(application=application, by=request.user, reason=payload.reason)
            member = None
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    return {
        "id": application.pk,
        "status": application.status,
        "member": member.pk if member else None,
        "card_number": member.card_number if member else None,
    }


# --- the worker ------------------------------------------------------------------------------------------------

worker = Router(tags=[zh(_("Worker: membership"))])


class JoinIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., description=zh(_("Full name, as on your ID card")))
    resident_id: str = Field(..., description=zh(_("Resident ID number")))
    mobile: str = Field(..., description=zh(_("Mobile number")))
    employer: str = Field("", description=zh(_("Employer or platform")))
    occupation: str = Field(..., description=zh(_("Occupation (code).")))
    county: str = Field("", description=zh(_("County where you work (code), when the ID card's is not served.")))
    union: int | None = Field(None, description=zh(_("Union you are joining (id); empty: the county assigns one.")))
    station: str = Field("", description=zh(_("The code of the station whose QR code was scanned, if any.")))
    consent: bool = Field(..., description=zh(_("I have read and agree to the personal-information notice.")))


class ApplicationOut(Schema):
    reference: str = Field(..., description=zh(_("Reference number.")))
    status: str = Field(..., description=zh(_("Status (code): pending, approved, rejected.")))
    status_label: str = Field(..., description=zh(_("Status.")))
    submitted_at: dt.datetime = Field(..., description=zh(_("Submitted at.")))
    decided_at: dt.datetime | None = Field(None, description=zh(_("Decided at.")))
    rejection_reason: str = Field("", description=zh(_("Reason given for a rejection.")))
    union: str | None = Field(None, description=zh(_("The member's union, once approved.")))
    card_number: str | None = Field(None, description=zh(_("Membership card number, once approved.")))


def application_out(application: MembershipApplication) -> dict:
    member = application.member
    # As the status page: the card only to someone holding the member's registered mobile number.
    show_member = bool(member and member.mobile == application.mobile)
    return {
        "reference": application.reference,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "rejection_reason": application.rejection_reason if application.status == ApplicationStatus.REJECTED else "",
        "union": str(member.union) if show_member else None,
        "card_number": member.card_number if show_member else None,
    }


@worker.post(
    "/applications/",
    response={201: ApplicationOut},
    auth=WorkerToken(),
    summary=zh(_("Apply to join the union")),
    description=zh(
        _(
            "The join page's application: the same checks, the same rate limits (per network, and per ID and "
            "mobile number), consent required. Answers the reference number to follow it by."
        )
    ),
)
def application_submit(request, payload: JoinIn):
    served = county_names(services.served_counties())
    station = None
    if payload.station:
        station = public_stations().select_related(None).prefetch_related(None).filter(code=payload.station).first()
        if station is None:
            message = str(_("There is no such station."))
            raise Problem(400, message, errors={"station": [message]})
    data = payload.model_dump(exclude={"station"})
    data = {key: ("" if value is None else value) for key, value in data.items()}
    if not data["consent"]:
        data.pop("consent")  # the form's own "required" message
    form = JoinForm(data, counties=served, county=station.region_id[:6] if station else None)
    # As the join page: every attempt counts against the address, a valid one also against its ID and mobile
    # number, both in one round trip.
    valid = form.is_valid()
    counted = [("membership.join.ip", settings.MEMBERSHIP_JOIN_RATE_PER_IP, None, True)]
    if valid:
        pair = f"{form.cleaned_data['resident_id']}:{form.cleaned_data['mobile']}"
        counted.append(("membership.join.id", settings.MEMBERSHIP_JOIN_RATE_PER_ID, pair, True))
    limits(request, *counted)
    if not valid:
        raise form_problem(form)
    cleaned = form.cleaned_data
    with transaction.atomic():
        application = services.application_submit(
            name=cleaned["name"],
            resident_id=cleaned["resident_id"],
            mobile=cleaned["mobile"],
            employer=cleaned["employer"],
            occupation=cleaned["occupation"],
            union=cleaned.get("union"),
            county_code=cleaned.get("county") or None,
            source_station=station,
            consent_version=settings.MEMBERSHIP_PRIVACY_NOTICE_VERSION,
            served_counties=served,
        )
    return Status(201, application_out(application))


@worker.get(
    "/applications/",
    response=list[ApplicationOut],
    auth=WorkerToken(),
    summary=zh(_("My applications")),
    description=zh(_("The applications made with the login's verified mobile number, newest first.")),
)
def my_applications(request):
    mobile = verified_mobile(request)
    rows = MembershipApplication.objects.select_related("member", "member__union").filter(mobile=mobile)
    return [application_out(a) for a in rows.order_by("-submitted_at")[:50]]


@worker.get(
    "/applications/{reference}/",
    response=ApplicationOut,
    auth=WorkerToken(),
    summary=zh(_("Follow an application")),
    description=zh(
        _(
            "One application by its reference number: with the login's verified mobile number, or with ?mobile= "
            "as on the status page (limited per network). Not found when the two do not match."
        )
    ),
)
def application_follow(request, reference: str):
    mobile = request.worker.verified_mobile or request.GET.get("mobile", "").strip()[:20]
    if not request.worker.verified_mobile:
        limit(request, group="membership.status.ip", rate=settings.MEMBERSHIP_STATUS_RATE_PER_IP)
    application = services.application_lookup(reference=reference[:20], mobile=mobile) if mobile else None
    if application is None:
        raise Problem(404, str(_("No application matches this reference and mobile number.")))
    return application_out(application)

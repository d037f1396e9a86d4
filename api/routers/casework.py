"""Casework through the API: the staff's requests and mediation cases (read, and the handling steps a county
platform records - accept, reply, pass up, resolve - through the admin's services), and, for the worker,
filing a request with attachments (checked by content as on the filing page), following it and rating it."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from api.routers.lists import STAFF_AUTH, Col, ListSpec, add_list_endpoints
from api.views.problems import Problem, django_validation_problem, form_problem
from api.views.security import WorkerToken, limit, verified_mobile
from api.views.text import zh
from casework.choices import RequestOutcome, RequestStatus
from casework.forms.public import FileRequestForm, RateForm
from casework.models import MediationCase, WorkerRequest
from casework.selectors.lists import mediation_list, request_list, requests_reached
from casework.selectors.reach import request_actable
from casework.selectors.timeline import request_timeline
from casework.services import handling
from casework.services import requests as services
from casework.services.attachments import attachments_check
from casework.views.public import served_counties
from stations.models import Station

SPECS = [
    ListSpec(
        key="requests",
        model=WorkerRequest,
        select=request_list,
        related=("holder", "station"),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("reference", str, _("Reference number.")),
            Col("category", str, _("Category (code).")),
            Col("status", str, _("Status (code).")),
            Col("employer_name", str, _("Employer.")),
            Col("name", str, _("Worker's name.")),
            Col("mobile", str, _("Mobile number (masked unless revealed).")),
            Col("station", str, _("Station code, if filed at one."), "station__code"),
            Col("region", str, _("Region (code)."), "region_id"),
            Col("holder", str, _("Union holding it."), "holder__name"),
            Col("escalation_level", int, _("Escalation level.")),
            Col("filed_at", dt.datetime, _("Filed at.")),
            Col("acknowledged_at", dt.datetime, _("Taken up at.")),
            Col("resolved_at", dt.datetime, _("Resolved at.")),
            Col("resolve_due_on", dt.date, _("To be resolved by.")),
            Col("outcome", str, _("Outcome (code).")),
            Col("rating", int, _("Worker's rating, 1 to 5.")),
            Col("confidential", bool, _("Kept from the employer's union.")),
        ],
    ),
    ListSpec(
        key="mediation_cases",
        model=MediationCase,
        select=mediation_list,
        related=("station",),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("number", str, _("Case number.")),
            Col("station", str, _("Mediation desk (station code)."), "station__code"),
            Col("source", str, _("Source (code).")),
            Col("request", int, _("Request (id)."), "request_id"),
            Col("category", str, _("Category (code).")),
            Col("status", str, _("Status (code).")),
            Col("received_on", dt.date, _("Received on.")),
            Col("closed_on", dt.date, _("Closed on.")),
        ],
    ),
]

staff = Router(tags=[zh(_("Staff: casework"))])
for _spec in SPECS:
    add_list_endpoints(staff, _spec)


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: Literal["accept", "respond", "forward", "resolve"] = Field(
        ..., description=zh(_("accept, respond (a reply to the worker), forward (pass up a level) or resolve."))
    )
    message: str = Field("", max_length=2000, description=zh(_("The note, reply, reason or what was done.")))
    outcome: RequestOutcome | None = Field(None, description=zh(_("How it ended (resolve only).")))


class StepOut(Schema):
    id: int = Field(..., description=zh(_("Internal id.")))
    reference: str = Field(..., description=zh(_("Reference number.")))
    status: str = Field(..., description=zh(_("Status (code).")))
    holder: str = Field(..., description=zh(_("Union holding it.")))


@staff.post(
    "/requests/{id}/steps/",
    response=StepOut,
    auth=STAFF_AUTH,
    summary=zh(_("Record a handling step")),
    description=zh(
        _(
            "Accept, reply, pass up or resolve a request your account may act on (where it is held), through "
            "the same services as the admin's request page; the worker is told as from there."
        )
    ),
)
def request_step(request, id: int, payload: StepIn):
    obj = requests_reached(request.user).select_related("holder", "station").filter(pk=id).first()
    if obj is None:
        raise Problem(404, str(_("There is no such object, or it is outside your reach.")))
    if not request.user.has_perm("casework.change_workerrequest") or not request_actable(obj, request.user):
        raise Problem(403, str(_("Your account may not act on this request where it is held now.")))
    user, message = request.user, payload.message.strip()
    try:
        if payload.action == "accept":
            handling.request_accept(request=obj, by=user, note=message)
        elif payload.action == "respond":
            handling.request_respond(request=obj, by=user, message=message)
        elif payload.action == "forward":
            handling.request_forward(request=obj, by=user, reason=message)
        else:
            handling.request_resolve(request=obj, by=user, resolution=message, outcome=payload.outcome or "")
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    obj.refresh_from_db()
    return {"id": obj.pk, "reference": obj.reference, "status": obj.status, "holder": str(obj.holder)}


# --- the worker ------------------------------------------------------------------------------------------------

worker = Router(tags=[zh(_("Worker: requests"))])


class FileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    category: str = Field(..., description=zh(_("What is it about? (category code)")))
    employer_name: str = Field(..., description=zh(_("Employer or platform")))
    employer_credit_code: str = Field("", description=zh(_("Employer's unified social credit code")))
    description: str = Field(..., description=zh(_("What happened?")))
    wanted: str = Field(..., description=zh(_("What would you like?")))
    name: str = Field("", description=zh(_("Your name")))
    mobile: str = Field(..., description=zh(_("Mobile number")))
    county: str = Field("", description=zh(_("County where you work (code); not with station.")))
    station: str = Field("", description=zh(_("The code of the station whose QR code was scanned, if any.")))
    confidential: bool = Field(False, description=zh(_("Keep it from my employer's union")))
    consent: bool = Field(..., description=zh(_("I agree that the union uses these details to handle my request.")))


class StepView(Schema):
    at: dt.datetime = Field(..., description=zh(_("When.")))
    kind: str = Field(..., description=zh(_("Kind of step (code).")))
    title: str = Field(..., description=zh(_("What happened.")))
    text: str = Field("", description=zh(_("The note for the worker.")))


class RequestOut(Schema):
    reference: str = Field(..., description=zh(_("Reference number.")))
    category: str = Field(..., description=zh(_("Category (code).")))
    status: str = Field(..., description=zh(_("Status (code).")))
    status_label: str = Field(..., description=zh(_("Status.")))
    holder: str = Field(..., description=zh(_("Union holding it.")))
    filed_at: dt.datetime = Field(..., description=zh(_("Filed at.")))
    resolve_due_on: dt.date | None = Field(None, description=zh(_("To be resolved by.")))
    resolution: str = Field("", description=zh(_("What was done.")))
    can_rate: bool = Field(..., description=zh(_("Whether it may be rated now (resolved, not yet rated).")))
    attachments: int = Field(..., description=zh(_("Files attached.")))
    steps: list[StepView] = Field(..., description=zh(_("The steps so far, oldest first.")))


class RateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    rating: int = Field(..., ge=1, le=5, description=zh(_("How was it handled? 1 to 5.")))
    good: list[str] = Field(default_factory=list, description=zh(_("What was good? (codes)")))
    comment: str = Field("", max_length=500, description=zh(_("Anything else?")))


def request_out(obj: WorkerRequest) -> dict:
    return {
        "reference": obj.reference,
        "category": obj.category,
        "status": obj.status,
        "status_label": str(obj.get_status_display()),
        "holder": str(obj.holder),
        "filed_at": obj.filed_at,
        "resolve_due_on": obj.resolve_due_on,
        "resolution": obj.resolution,
        "can_rate": obj.status == RequestStatus.RESOLVED,
        "attachments": obj.attachments.count(),
        "steps": [
            {"at": s.at, "kind": s.kind, "title": str(s.title), "text": s.text or ""} for s in request_timeline(obj)
        ],
    }


@worker.post(
    "/requests/",
    response={201: RequestOut},
    auth=WorkerToken(),
    summary=zh(_("File a request")),
    description=zh(
        _(
            "The filing page's form as multipart/form-data, with up to 3 photos or PDF files as attachments "
            "(checked by content and size as on the page), consent required, limited per network as the page."
        )
    ),
)
def request_file(request, payload: Form[FileIn], attachments: File[list[UploadedFile]] = None):
    uploads = list(attachments or [])
    station = None
    if payload.station:
        station = Station.objects.filter(code=payload.station).select_related("host").first()
        if station is None:
            message = str(_("There is no such station."))
            raise Problem(400, message, errors={"station": [message]})
    limit(request, group="casework.file.ip", rate=settings.CASEWORK_FILE_RATE_PER_IP, count=False)
    data = {key: value for key, value in payload.model_dump(exclude={"station"}).items() if value not in (False, None)}
    form = FileRequestForm(data, counties=served_counties(), fixed_place=station is not None)
    valid = form.is_valid()
    try:
        attachments_check(uploads)
    except ValidationError as exc:
        errors = {**{f: [str(m) for m in ms] for f, ms in form.errors.items()}, "attachments": exc.messages}
        raise Problem(
            400, str(_("Some of what was sent is not valid; see the errors by field.")), errors=errors
        ) from None
    if not valid:
        raise form_problem(form)
    cleaned = form.cleaned_data
    try:
        with transaction.atomic():
            obj = services.request_file(
                category=cleaned["category"],
                employer_name=cleaned["employer_name"],
                employer_credit_code=cleaned["employer_credit_code"],
                description=cleaned["description"],
                wanted=cleaned["wanted"],
                name=cleaned["name"],
                mobile=cleaned["mobile"],
                consent=cleaned["consent"],
                station=station,
                county_code=cleaned.get("county") or None,
                attachments=uploads,
                confidential=cleaned.get("confidential", False),
            )
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    limit(request, group="casework.file.ip", rate=settings.CASEWORK_FILE_RATE_PER_IP)
    return Status(201, request_out(obj))


@worker.get(
    "/requests/",
    response=list[RequestOut],
    auth=WorkerToken(),
    summary=zh(_("My requests")),
    description=zh(_("The requests filed with the login's verified mobile number, newest first.")),
)
def my_requests(request):
    mobile = verified_mobile(request)
    rows = WorkerRequest.objects.select_related("holder").filter(mobile=mobile).order_by("-filed_at")[:50]
    return [request_out(obj) for obj in rows]


def _own(request, reference: str) -> WorkerRequest:
    mobile = request.worker.verified_mobile or request.GET.get("mobile", "").strip()[:20]
    if not request.worker.verified_mobile:
        limit(request, group="casework.status.ip", rate=settings.CASEWORK_STATUS_RATE_PER_IP)
    obj = services.request_lookup(reference=reference[:20], mobile=mobile) if mobile else None
    if obj is None:
        raise Problem(404, str(_("No request matches this reference and mobile number.")))
    return obj


@worker.get(
    "/requests/{reference}/",
    response=RequestOut,
    auth=WorkerToken(),
    summary=zh(_("Follow a request")),
    description=zh(
        _(
            "One request and its steps by its reference number: with the login's verified mobile number, or with "
            "?mobile= as on the status page (limited per network). Not found when the two do not match."
        )
    ),
)
def request_follow(request, reference: str):
    return request_out(_own(request, reference))


@worker.post(
    "/requests/{reference}/rating/",
    response=RequestOut,
    auth=WorkerToken(),
    summary=zh(_("Rate a request's handling")),
    description=zh(_("Once, after it is resolved: 1 to 5, what was good and a comment; this closes the request.")),
)
def request_rate(request, reference: str, payload: RateIn):
    obj = _own(request, reference)
    verified_mobile(request)
    form = RateForm({"rating": payload.rating, "good": payload.good, "comment": payload.comment})
    if not form.is_valid():
        raise form_problem(form)
    try:
        services.request_rate(
            request=obj, rating=form.cleaned_data["rating"], good=form.cleaned_data["good"],
            comment=form.cleaned_data["comment"],
        )  # fmt: skip
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    obj.refresh_from_db()
    return request_out(obj)

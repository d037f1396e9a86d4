"""Employment through the API: the staff's read access to vacancies, job wishes, referrals, printed job
sheets, job fairs and local minimum wages (employment's list selectors: the same scope, FilterSets and
search as the admin's lists; a wish's mobile masked unless revealed and logged), and, for the worker, the
current vacancies of a station and near a point, and filing and renewing a job wish (the wish page's form and
service, consent required, the same rate limit)."""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from api.routers.lists import Col, ListSpec, add_list_endpoints, fields_changed_since
from api.views.points import answer_crs, nearest_count, origin_of
from api.views.problems import Problem, django_validation_problem, form_problem
from api.views.security import WorkerToken, limit, verified_mobile
from api.views.text import zh
from employment.choices import WishSource
from employment.forms.public import WishForm
from employment.models import JobFair, JobSheet, JobWish, MinimumWage, Referral, Vacancy
from employment.selectors.lists import fair_list, minimum_wage_list, referral_list, sheet_list, vacancy_list, wish_list
from employment.selectors.public import current_vacancies, station_vacancies
from employment.services import wish_file, wish_renew
from employment.views.public import RATE as WISH_RATE
from stations import geo
from stations.selectors.registry import public_stations

SPECS = [
    # Vacancies, wishes and referrals keep no history and no time of their last change (a vacancy filled or
    # withdrawn, a wish renewed): no changes export - a platform pulls them from the list (filtered by its
    # date, status and "current" parameters); their deletions are exported as every listed model's are.
    ListSpec(
        key="vacancies",
        model=Vacancy,
        select=vacancy_list,
        related=("station", "town"),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("station", str, _("Station code."), "station__code"),
            Col("employer_name", str, _("Employer.")),
            Col("employer_credit_code", str, _("Employer's unified social credit code.")),
            Col("title", str, _("Job title.")),
            Col("occupation", str, _("Occupation (code).")),
            Col("posts", int, _("Posts.")),
            Col("filled_posts", int, _("Posts filled.")),
            Col("pay_basis", str, _("Pay basis (code).")),
            Col("pay_min", str, _("Pay from, in yuan (a decimal string).")),
            Col("pay_max", str, _("Pay up to, in yuan (a decimal string).")),
            Col("daily_hours", int, _("Hours a day.")),
            Col("town", str, _("Town where the work is (code)."), "town_id"),
            Col("valid_until", dt.date, _("Valid until.")),
            Col("status", str, _("Status (code).")),
            Col("created_at", dt.datetime, _("Posted at.")),
        ],
    ),
    ListSpec(
        key="wishes",
        model=JobWish,
        select=wish_list,
        related=("station",),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("station", str, _("Station code."), "station__code"),
            Col("name", str, _("Name.")),
            Col("mobile", str, _("Mobile number (masked unless revealed).")),
            Col("occupation", str, _("Occupation wanted (code).")),
            Col("area", str, _("Area wanted, a town (code)."), "area_id"),
            Col("pay_expected", str, _("Pay expected, yuan a month (a decimal string).")),
            Col("max_daily_hours", int, _("Hours a day at most.")),
            Col("skills", str, _("Skills and certificates.")),
            Col("consent", bool, _("Consent to share with employers.")),
            Col("source", str, _("Source (code).")),
            Col("status", str, _("Status (code).")),
            Col("valid_until", dt.date, _("Open until.")),
            Col("created_at", dt.datetime, _("Filed at.")),
        ],
    ),
    ListSpec(
        key="referrals",
        model=Referral,
        select=referral_list,
        columns=[
            Col("id", int, _("Internal id.")),
            Col("vacancy", int, _("Vacancy (id)."), "vacancy_id"),
            Col("wish", int, _("Job wish (id)."), "wish_id"),
            Col("referred_on", dt.date, _("Referred on.")),
            Col("interview_on", dt.date, _("Interview on.")),
            Col("outcome", str, _("Outcome (code).")),
            Col("outcome_on", dt.date, _("Outcome on.")),
        ],
    ),
    ListSpec(
        key="sheets",
        model=JobSheet,
        select=sheet_list,
        related=("station",),
        changed_since=fields_changed_since("printed_at"),  # a printed edition is never changed
        columns=[
            Col("id", int, _("Internal id.")),
            Col("station", str, _("Station code."), "station__code"),
            Col("year", int, _("Year.")),
            Col("issue", int, _("Issue.")),
            Col("edition", int, _("Edition.")),
            Col("size", str, _("Size (code).")),
            Col("printed_at", dt.datetime, _("Printed at.")),
        ],
    ),
    ListSpec(
        key="fairs",
        model=JobFair,
        select=fair_list,
        related=("station",),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("name", str, _("Name.")),
            Col("kind", str, _("Kind (code).")),
            Col("region", str, _("Region (code)."), "region_id"),
            Col("station", str, _("Station code, if held at one."), "station__code"),
            Col("held_on", dt.date, _("Held on.")),
            Col("online", bool, _("Online.")),
        ],
    ),
    ListSpec(
        key="minimum_wages",
        model=MinimumWage,
        select=minimum_wage_list,
        columns=[
            Col("id", int, _("Internal id.")),
            Col("region", str, _("Region (code)."), "region_id"),
            Col("monthly", str, _("Monthly minimum wage in yuan (a decimal string).")),
            Col("valid_from", dt.date, _("In force from.")),
        ],
    ),
]

staff = Router(tags=[zh(_("Staff: employment"))])
for _spec in SPECS:
    add_list_endpoints(staff, _spec)

# --- the worker ------------------------------------------------------------------------------------------------

worker = Router(tags=[zh(_("Worker: jobs"))])


class VacancyOut(Schema):
    id: int = Field(..., description=zh(_("Internal id.")))
    station: str = Field(..., description=zh(_("Station code.")))
    station_name: str = Field(..., description=zh(_("Station.")))
    employer_name: str = Field(..., description=zh(_("Employer.")))
    title: str = Field(..., description=zh(_("Job title.")))
    occupation: str = Field(..., description=zh(_("Occupation (code).")))
    occupation_label: str = Field(..., description=zh(_("Occupation.")))
    open_posts: int = Field(..., description=zh(_("Posts still open.")))
    pay_basis: str = Field(..., description=zh(_("Pay basis (code).")))
    pay_basis_label: str = Field(..., description=zh(_("Pay basis.")))
    pay_min: str = Field(..., description=zh(_("Pay from, in yuan (a decimal string).")))
    pay_max: str = Field(..., description=zh(_("Pay up to, in yuan (a decimal string).")))
    daily_hours: int = Field(..., description=zh(_("Hours a day.")))
    town: str = Field(..., description=zh(_("Town where the work is.")))
    requirements: str = Field("", description=zh(_("Requirements.")))
    contact: str = Field(..., description=zh(_("Contact.")))
    contact_phone: str = Field(..., description=zh(_("Contact phone.")))
    valid_until: dt.date = Field(..., description=zh(_("Valid until.")))
    distance_m: float | None = Field(None, description=zh(_("Distance in metres (null without coordinates).")))
    lat: float | None = Field(None, description=zh(_("Latitude in the coordinate system asked for.")))
    lng: float | None = Field(None, description=zh(_("Longitude in the coordinate system asked for.")))


class VacanciesNear(Schema):
    crs: str = Field(..., description=zh(_("The coordinate system of lat and lng: wgs84, gcj02 or bd09.")))
    results: list[VacancyOut] = Field(..., description=zh(_("Current vacancies, nearest first.")))


class WishIn(Schema):
    model_config = ConfigDict(extra="forbid")
    occupation: str = Field(..., description=zh(_("What work do you want? (occupation code)")))
    area: str = Field("", description=zh(_("Where (a town's code in the station's county); empty: anywhere nearby.")))
    pay_expected: str = Field(..., description=zh(_("Pay you expect (yuan a month), a decimal string.")))
    max_daily_hours: int = Field(..., description=zh(_("Hours a day at most")))
    skills: str = Field("", description=zh(_("Skills, driving licence, certificates")))
    name: str = Field("", description=zh(_("Your name")))
    consent: bool = Field(
        ..., description=zh(_("I agree that the union shares my wish and mobile number with employers that fit it."))
    )


class WishOut(Schema):
    id: int = Field(..., description=zh(_("Internal id (to renew it by).")))
    station: str = Field(..., description=zh(_("Station code.")))
    station_name: str = Field(..., description=zh(_("Station.")))
    occupation: str = Field(..., description=zh(_("Occupation wanted (code).")))
    occupation_label: str = Field(..., description=zh(_("Occupation wanted.")))
    area: str | None = Field(None, description=zh(_("Area wanted (town).")))
    pay_expected: str = Field(..., description=zh(_("Pay expected, yuan a month (a decimal string).")))
    max_daily_hours: int = Field(..., description=zh(_("Hours a day at most.")))
    status: str = Field(..., description=zh(_("Status (code).")))
    status_label: str = Field(..., description=zh(_("Status.")))
    valid_until: dt.date = Field(..., description=zh(_("Open until (renew it before then).")))
    filed_at: dt.datetime = Field(..., description=zh(_("Filed at.")))


def vacancy_out(vacancy: Vacancy, crs: str = geo.WGS84, origin=None) -> dict:
    if vacancy.latitude is not None:
        position = (float(vacancy.latitude), float(vacancy.longitude))
    else:
        position = vacancy.station.coordinates
    lat = lng = distance = None
    if position is not None:
        lat, lng = (round(v, 6) for v in geo.from_wgs84(*position, crs))
        if origin is not None:
            distance = round(geo.distance_m(*origin, *position), 1)
    return {
        "id": vacancy.pk,
        "station": vacancy.station.code,
        "station_name": vacancy.station.name,
        "employer_name": vacancy.employer_name,
        "title": vacancy.title,
        "occupation": vacancy.occupation,
        "occupation_label": str(vacancy.get_occupation_display()),
        "open_posts": vacancy.open_posts,
        "pay_basis": vacancy.pay_basis,
        "pay_basis_label": str(vacancy.get_pay_basis_display()),
        "pay_min": str(vacancy.pay_min),
        "pay_max": str(vacancy.pay_max),
        "daily_hours": vacancy.daily_hours,
        "town": vacancy.town.name,
        "requirements": vacancy.requirements,
        "contact": vacancy.contact,
        "contact_phone": vacancy.contact_phone,
        "valid_until": vacancy.valid_until,
        "distance_m": distance,
        "lat": lat,
        "lng": lng,
    }


def _station(code: str):
    station = public_stations().prefetch_related(None).filter(code=code).first()
    if station is None:
        raise Problem(404, str(_("There is no such station.")))
    return station


@worker.get(
    "/stations/{code}/vacancies/",
    response=list[VacancyOut],
    summary=zh(_("A station's vacancies")),
    description=zh(
        _(
            "The current vacancies posted at an operating station (published, checked, in force, not filled), "
            "newest first, as on its jobs page. ?crs= for the coordinates. No login needed."
        )
    ),
)
def station_jobs(request, code: str):
    crs = answer_crs(request)
    station = _station(code)
    rows = station_vacancies(station)
    for vacancy in rows:
        vacancy.station = station
    return [vacancy_out(v, crs) for v in rows]


@worker.get(
    "/vacancies/nearest/",
    response=VacanciesNear,
    summary=zh(_("Vacancies near a point")),
    description=zh(
        _(
            "Current vacancies nearest to ?lat=&lng= (in ?crs=wgs84, gcj02 or bd09; answered in the same system, "
            "or ?out_crs=), by where the work is (else its station). ?occupation= a code; ?limit= 1-50, default "
            "20. No login needed."
        )
    ),
)
def vacancies_near(request):
    crs = answer_crs(request)
    origin = origin_of(request)
    count = nearest_count(request)
    rows = current_vacancies()
    occupation = request.GET.get("occupation", "")[:20]
    if occupation:
        rows = rows.filter(occupation=occupation)
    lat, lng = origin
    scale = math.cos(math.radians(lat))
    dlat = Cast(Coalesce("latitude", "station__latitude"), FloatField()) - Value(lat)
    dlng = (Cast(Coalesce("longitude", "station__longitude"), FloatField()) - Value(lng)) * Value(scale)
    rank = ExpressionWrapper(dlat * dlat + dlng * dlng, FloatField())
    rows = rows.annotate(rank=rank).order_by(F("rank").asc(nulls_last=True), "-pk")[:count]
    out = request.GET.get("out_crs") or crs
    results = [vacancy_out(v, out, origin) for v in rows]
    results.sort(key=lambda r: (r["distance_m"] is None, r["distance_m"] or 0.0))
    return {"crs": out, "results": results}


def wish_out(wish: JobWish) -> dict:
    return {
        "id": wish.pk,
        "station": wish.station.code,
        "station_name": wish.station.name,
        "occupation": wish.occupation,
        "occupation_label": str(wish.get_occupation_display()),
        "area": wish.area.name if wish.area_id else None,
        "pay_expected": str(wish.pay_expected),
        "max_daily_hours": wish.max_daily_hours,
        "status": wish.status,
        "status_label": str(wish.get_status_display()),
        "valid_until": wish.valid_until,
        "filed_at": wish.created_at,
    }


@worker.post(
    "/stations/{code}/wishes/",
    response={201: WishOut},
    auth=WorkerToken(),
    summary=zh(_("File a job wish")),
    description=zh(
        _(
            "The job-wish page's form and service at an operating station, with the login's verified mobile "
            "number: consent required, limited per network as the page. The wish stays open for 90 days; renew "
            "it to keep it."
        )
    ),
)
def wish_submit(request, code: str, payload: WishIn):
    mobile = verified_mobile(request)
    station = _station(code)
    limit(request, group="employment.wish.ip", rate=WISH_RATE, count=False)
    data = {**payload.model_dump(), "mobile": mobile}
    if not data["consent"]:
        data.pop("consent")
    form = WishForm(data, county=station.region_id[:6])
    if not form.is_valid():
        raise form_problem(form)
    try:
        wish = wish_file(station=station, source=WishSource.PHONE, **form.cleaned_data)
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    limit(request, group="employment.wish.ip", rate=WISH_RATE)
    return Status(201, wish_out(wish))


def _wishes(request):
    return JobWish.objects.filter(mobile=verified_mobile(request)).select_related("station", "area")


@worker.get(
    "/wishes/",
    response=list[WishOut],
    auth=WorkerToken(),
    summary=zh(_("My job wishes")),
    description=zh(_("The job wishes filed with the login's verified mobile number, newest first (at most 50).")),
)
def my_wishes(request):
    return [wish_out(w) for w in _wishes(request).order_by("-created_at", "-pk")[:50]]


@worker.post(
    "/wishes/{id}/renew/",
    response=WishOut,
    auth=WorkerToken(),
    summary=zh(_("Renew my job wish")),
    description=zh(
        _("Keeps one of the worker's job wishes open for another 90 days from today; another person's is not found.")
    ),
)
def my_wish_renew(request, id: int):
    wish = _wishes(request).filter(pk=id).first()
    if wish is None:
        raise Problem(404, str(_("No job wish of yours has this number.")))
    wish_renew(wish=wish, user=None)
    return wish_out(wish)

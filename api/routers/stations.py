"""Stations through the API: the staff's lists (stations, activities, evaluations, subsidy allocations) and,
for the worker, the finder - nearest stations in WGS-84, GCJ-02 or BD-09, a station's details and whether it
is open now - and rating a station, all over the public pages' selectors and services."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from api.routers.lists import Col, ListSpec, add_list_endpoints, fields_changed_since
from api.selectors.finder import as_ids, ids_of, station_cards
from api.views.points import POINT_PARAMS, answer_crs, nearest_count, origin_of
from api.views.problems import Problem, django_validation_problem, form_problem
from api.views.security import WorkerToken, limit, verified_mobile
from api.views.text import zh
from stations import geo
from stations.filtersets import OriginForm, StationFilterSet
from stations.models import Activity, Evaluation, Station, SubsidyAllocation
from stations.selectors.lists import activity_list, allocation_list, evaluation_list, station_list
from stations.selectors.registry import nearest_slice, public_stations, station_is_open, station_week
from stations.services import RATEABLE, station_rating_submit
from stations.services.star_levels import star_in_force

# --- staff lists ---------------------------------------------------------------------------------------------

SPECS = [
    ListSpec(
        key="stations",
        model=Station,
        select=station_list,
        related=("region", "host"),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("code", str, _("Station code.")),
            Col("name", str, _("Name.")),
            Col("kind", str, _("Kind (code).")),
            Col("status", str, _("Status (code).")),
            Col("region", str, _("Town or subdistrict (GB/T 2260 code)."), "region_id"),
            Col("region_name", str, _("Town or subdistrict."), "region__name"),
            Col("host", str, _("Host organisation."), "host__name"),
            Col("address", str, _("Address.")),
            Col("latitude", float, _("Latitude, WGS-84."), lambda s: float(s.latitude) if s.latitude else None),
            Col("longitude", float, _("Longitude, WGS-84."), lambda s: float(s.longitude) if s.longitude else None),
            Col("open_24h", bool, _("Open 24 hours.")),
            Col("phone", str, _("The station's own telephone.")),
            Col("is_complete", bool, _("Meets the standard.")),
            Col("created_at", dt.datetime, _("Registered at.")),
        ],
    ),
    ListSpec(
        key="activities",
        model=Activity,
        select=activity_list,
        related=("station", "kind"),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("station", str, _("Station code."), "station__code"),
            Col("kind", str, _("Kind of activity."), "kind__name"),
            Col("date", dt.date, _("Date.")),
            Col("title", str, _("Title.")),
            Col("participants", int, _("Participants.")),
            Col("suggestions", int, _("Suggestions collected.")),
        ],
    ),
    ListSpec(
        key="evaluations",
        model=Evaluation,
        select=evaluation_list,
        related=("station",),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("station", str, _("Station code."), "station__code"),
            Col("date", dt.date, _("Date.")),
            Col("status", str, _("Status (code).")),
            Col("total", str, _("Total score.")),
            Col("stars", int, _("Stars.")),
            Col("decided_at", dt.datetime, _("Decided at.")),
        ],
    ),
    ListSpec(
        key="allocations",
        model=SubsidyAllocation,
        select=allocation_list,
        related=("station",),
        changed_since=fields_changed_since("run__computed_at", "run__approved_at"),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("run", int, _("Subsidy run (id)."), "run_id"),
            Col("station", str, _("Station code."), "station__code"),
            Col("county", str, _("County (code)."), "county_id"),
            Col("period_start", dt.date, _("Period start.")),
            Col("period_end", dt.date, _("Period end.")),
            Col("subsidy_type", str, _("Subsidy type (code).")),
            Col("stars", int, _("Stars.")),
            Col("amount", str, _("Amount in yuan, to the fen (a decimal string).")),
            Col("status", str, _("Status (code).")),
        ],
    ),
]

staff = Router(tags=[zh(_("Staff: stations"))])
for _spec in SPECS:
    add_list_endpoints(staff, _spec)

# --- the worker's finder -------------------------------------------------------------------------------------

worker = Router(tags=[zh(_("Worker: stations"))])


class StationNear(Schema):
    code: str = Field(..., description=zh(_("Station code.")))
    name: str = Field(..., description=zh(_("Name.")))
    kind: str = Field(..., description=zh(_("Kind (code).")))
    kind_label: str = Field(..., description=zh(_("Kind.")))
    town: str = Field(..., description=zh(_("Town or subdistrict.")))
    address: str = Field(..., description=zh(_("Address.")))
    open_now: bool = Field(..., description=zh(_("Open now.")))
    open_24h: bool = Field(..., description=zh(_("Open 24 hours.")))
    distance_m: float | None = Field(None, description=zh(_("Distance in metres (null without coordinates).")))
    lat: float | None = Field(None, description=zh(_("Latitude in the coordinate system asked for.")))
    lng: float | None = Field(None, description=zh(_("Longitude in the coordinate system asked for.")))


class NearestOut(Schema):
    crs: str = Field(..., description=zh(_("The coordinate system of lat and lng: wgs84, gcj02 or bd09.")))
    results: list[StationNear] = Field(..., description=zh(_("Operating stations, nearest first.")))


class Day(Schema):
    weekday: int = Field(..., description=zh(_("Weekday, 0 is Monday.")))
    label: str = Field(..., description=zh(_("Weekday name.")))
    periods: list[str] = Field(..., description=zh(_("Opening periods, such as 08:30–12:00; empty when closed.")))
    is_today: bool = Field(..., description=zh(_("Whether this is today.")))


class StationOut(StationNear):
    phone: str = Field(..., description=zh(_("The station's own telephone.")))
    description: str = Field(..., description=zh(_("What the station offers, in its own words.")))
    facilities: list[str] = Field(..., description=zh(_("Facilities.")))
    services: list[str] = Field(..., description=zh(_("Services.")))
    week: list[Day] = Field(..., description=zh(_("Opening hours, Monday to Sunday.")))
    stars: int | None = Field(None, description=zh(_("Star level in force (null: none).")))


class StationRateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    score: int = Field(..., ge=1, le=5, description=zh(_("Your rating, 1 to 5.")))
    comment: str = Field("", max_length=300, description=zh(_("Comment (optional).")))


class Done(Schema):
    detail: str = Field(..., description=zh(_("What was done, in Chinese.")))


def _near(station: Station, crs: str, *, open_now: bool, distance_m: float | None) -> dict:
    """A station's row of the answer: a new dict each time (``station`` may be a shared, cached card)."""
    lat = lng = None
    if station.latitude is not None:
        lat, lng = (round(v, 6) for v in geo.from_wgs84(float(station.latitude), float(station.longitude), crs))
    return {
        "code": station.code,
        "name": station.name,
        "kind": station.kind,
        "kind_label": str(station.get_kind_display()),
        "town": station.region.name,
        "address": station.address,
        "open_now": open_now,
        "open_24h": station.open_24h,
        "distance_m": round(distance_m, 1) if distance_m is not None else None,
        "lat": lat,
        "lng": lng,
    }


@worker.get(
    "/stations/nearest/",
    response=NearestOut,
    summary=zh(_("Nearest stations")),
    description=zh(
        _(
            "Operating stations nearest to ?lat=&lng= (in ?crs=wgs84, gcj02 or bd09; answered in the same system, "
            "or ?out_crs=), with whether each is open now. Takes the finder's filters (kind, region, facility, "
            "open_now). ?limit= 1-50, default 20. No login needed."
        )
    ),
)
def nearest(request):
    crs = answer_crs(request)
    origin = origin_of(request)
    count = nearest_count(request)
    now = timezone.now()
    filters = request.GET.copy()
    for key in POINT_PARAMS:
        filters.pop(key, None)
    unknown = sorted(set(filters) - set(StationFilterSet.base_filters))
    if unknown:
        message = str(_("These filters are not known: %(names)s")) % {"names": ", ".join(unknown)}
        raise Problem(400, message, errors={name: [message] for name in unknown})
    # Only ids from here: the cards (name, town, hours) come from the process's cache (api.selectors.finder).
    stations = public_stations().select_related(None).prefetch_related(None)
    if filters:  # the finder's filters, through its FilterSet (its form reads the towns: only when asked)
        filterset = StationFilterSet(filters, queryset=stations, now=now)
        if not filterset.is_valid():
            raise form_problem(filterset.form)
        stations = filterset.qs
    rows = []
    for station in station_cards(ids_of(nearest_slice(as_ids(stations.only("pk")), origin, 0, count))):
        position = station.coordinates
        distance = geo.distance_m(*origin, *position) if position is not None else None
        rows.append((distance is None, distance or 0.0, station, distance))
    rows.sort(key=lambda row: row[:2])  # by haversine, as the finder; stations without coordinates last
    out = request.GET.get("out_crs") or crs
    results = [_near(s, out, open_now=station_is_open(s, now), distance_m=d) for _n, _d, s, d in rows]
    # Written here, not validated again by the schema (it is the declared NearestOut; tests compare them).
    body = json.dumps({"crs": out, "results": results}, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type="application/json")


@worker.get(
    "/stations/{code}/",
    response=StationOut,
    summary=zh(_("A station's details")),
    description=zh(
        _(
            "An operating station's door information: address, telephone, facilities, services, opening hours "
            "for the week and whether it is open now; with ?lat=&lng= its distance. ?crs= as for the nearest."
        )
    ),
)
def station_detail(request, code: str):
    crs = answer_crs(request)
    station = public_stations().filter(code=code).first()
    if station is None:
        raise Problem(404, str(_("There is no such station.")))
    now = timezone.now()
    origin = OriginForm.point(request.GET)
    distance = geo.distance_m(*origin, *station.coordinates) if origin and station.coordinates else None
    star = star_in_force(station)
    return {
        **_near(station, crs, open_now=station_is_open(station, now), distance_m=distance),
        "phone": station.phone,
        "description": station.description,
        "facilities": [str(f) for f in station.facilities.all()],
        "services": [str(s) for s in station.services.all()],
        "week": [{**day, "label": str(day["label"])} for day in station_week(station, moment=now)],
        "stars": star.stars if star else None,
    }


@worker.post(
    "/stations/{code}/rating/",
    response={201: Done},
    auth=WorkerToken(),
    summary=zh(_("Rate a station")),
    description=zh(
        _(
            "1 to 5 stars and a comment, once a month per mobile number: the verified mobile number of the "
            "login. Limited per network as the public rating page."
        )
    ),
)
def station_rate(request, code: str, payload: StationRateIn):
    mobile = verified_mobile(request)
    station = Station.objects.filter(status__in=RATEABLE, code=code).first()
    if station is None:
        raise Problem(404, str(_("There is no such station.")))
    limit(request, group="stations.rate.ip", rate=settings.STATION_RATING_RATE)
    try:
        station_rating_submit(station=station, mobile=mobile, score=payload.score, comment=payload.comment)
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    return Status(201, {"detail": str(_("Thank you for your rating."))})

"""Where a new request goes: the employer's grassroots union when it can be found, else a desk."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casework.models import UnionHandler
from stations.models import Station
from unionhub.models import OrganizationKind, Region, UnionOrganization
from unionhub.validators import normalize_credit_code


@dataclass(frozen=True)
class Routing:
    holder: UnionOrganization
    region: Region
    employer_union: UnionOrganization | None
    handler_id: int | None


def _normalized_credit_code(value: str) -> str | None:
    try:
        return normalize_credit_code(value) if value else None
    except ValidationError:
        return None


def employer_union_match(*, name: str, credit_code: str = "", county_code: str | None = None):
    """The grassroots union of an employer: by unified social credit code (exact, anywhere), else by the
    employer's name (exact, and unambiguous within the county when one is known). None when unsure."""
    grassroots = UnionOrganization.objects.filter(kind=OrganizationKind.GRASSROOTS, is_holding_pool=False)
    code = _normalized_credit_code(credit_code)
    if code:
        union = grassroots.filter(credit_code=code).first()
        if union:
            return union
    name = (name or "").strip()
    if not name:
        return None
    candidates = grassroots.filter(employer=name)
    if county_code:
        candidates = candidates.filter(region__code__startswith=county_code[:6])
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


def county_federation(county_code: str) -> UnionOrganization | None:
    return UnionOrganization.objects.filter(kind=OrganizationKind.COUNTY_FEDERATION, region_id=county_code[:6]).first()


def default_handler_id(union: UnionOrganization) -> int | None:
    return UnionHandler.objects.filter(union=union, is_default=True).values_list("user_id", flat=True).first()


def request_route(
    *,
    employer_name: str,
    employer_credit_code: str = "",
    station: Station | None = None,
    source_union: UnionOrganization | None = None,
    county_code: str | None = None,
    confidential: bool = False,
) -> Routing:
    """Route a new request (Wuyi's "我有事办": straight to the chair of the worker's own union).

    1. the employer's grassroots union, matched by credit code or name;
    2. the grassroots or industry union whose QR code the worker scanned;
    3. filed at a station: the station's host union, else the county federation - with the station recorded,
       so its managers (the station's desk) see the request;
    4. otherwise the county federation's desk of the county the worker chose.

    ``confidential``: the worker does not want their employer's union to know (a chair can be the employer's
    own manager), so neither the employer's union nor a grassroots union's QR code decides: the station's
    host when it is a federation, else the county federation's desk. The employer's union is not recorded."""
    county_code = (
        county_code
        or (station.region_id if station else None)
        or (source_union.region_id if source_union else None)
        or ""
    )[:6]
    employer_union = (
        None
        if confidential
        else employer_union_match(name=employer_name, credit_code=employer_credit_code, county_code=county_code)
    )
    if confidential:
        host = station.host if station is not None else None
        if host is not None and host.kind == OrganizationKind.GRASSROOTS:
            host = None  # a company's union hosting the station: possibly the employer's own
        holder = host or (county_federation(county_code) if county_code else None)
        region_id = station.region_id if station is not None else county_code
    elif employer_union is not None:
        holder, region_id = employer_union, employer_union.region_id
    elif (
        source_union is not None
        and source_union.kind in (OrganizationKind.GRASSROOTS, OrganizationKind.INDUSTRY_FEDERATION)
        and not source_union.is_holding_pool
    ):
        holder, region_id = source_union, source_union.region_id
    elif station is not None:
        holder = station.host or county_federation(station.region_id)
        region_id = station.region_id
    else:
        holder = county_federation(county_code) if county_code else None
        region_id = county_code
    if holder is None:
        raise ValidationError(_("No union handles requests for this county yet. Please call the hotline 12351."))
    return Routing(
        holder=holder,
        region=Region.objects.get(code=region_id),
        employer_union=employer_union,
        handler_id=default_handler_id(holder),
    )

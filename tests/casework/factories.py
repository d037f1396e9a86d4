"""Factories for casework: a county federation with a town union above the grassroots unions, handlers,
stations with a mediation team, and requests filed through the service (so the clock is the real one)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from casework.models import UnionHandler
from casework.services.requests import request_file
from stations.models import ServiceTeam
from tests.factories import JIAFENG, QINSHUI, RUNCHENG, YANGCHENG, UnionOrganizationFactory, credit_code
from tests.stations.factories import StationFactory
from unionhub.models import OrganizationKind, UnionOrganization

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> dt.datetime:
    """An aware Asia/Shanghai datetime, ``at("2026-09-30")``."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def hierarchy(county: str = QINSHUI) -> dict:
    """city federation > county federation > town union > grassroots union, as a dict by level."""
    town = {QINSHUI: JIAFENG, YANGCHENG: RUNCHENG}[county]
    city, _ = UnionOrganization.objects.get_or_create(
        region_id="1405", name="晋城市总工会", defaults={"kind": OrganizationKind.CITY_FEDERATION}
    )
    county_fed, _ = UnionOrganization.objects.get_or_create(
        region_id=county,
        name=f"{county}县总工会",
        defaults={"kind": OrganizationKind.COUNTY_FEDERATION, "parent": city},
    )
    town_union, _ = UnionOrganization.objects.get_or_create(
        region_id=town,
        name=f"{town}镇总工会",
        defaults={"kind": OrganizationKind.TOWN_FEDERATION, "parent": county_fed},
    )
    grassroots = UnionOrganizationFactory(region_id=town, parent=town_union)
    return {"city": city, "county": county_fed, "town": town_union, "grassroots": grassroots}


def handler_for(union, user, default: bool = True) -> UnionHandler:
    return UnionHandler.objects.create(union=union, user=user, is_default=default)


def mediation_station(**kwargs):
    station = StationFactory(kind="labour", area_m2=Decimal("80.0"), **kwargs)
    ServiceTeam.objects.create(station=station, kind="mediation", leader="赵调解", members="钱律师 律师\n孙大姐 调解员")
    return station


class RequestFiler:
    """``file_request(...)`` with sensible defaults; keyword arguments override them."""

    counter = 0

    @classmethod
    def file(cls, **overrides):
        defaults = {
            "category": "wages",
            "employer_name": "不知名公司",
            "description": "老板拖欠三个月工资。",
            "wanted": "结清工资。",
            "mobile": "13800138000",
            "consent": True,
            "county_code": QINSHUI,
        }
        defaults.update(overrides)
        return request_file(**defaults)


file_request = RequestFiler.file

__all__ = ["at", "credit_code", "factory", "file_request", "handler_for", "hierarchy", "mediation_station"]

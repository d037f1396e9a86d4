"""Factories for outreach: employers with valid credit codes, teams, events at a station, desks."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from outreach.models import Employer, Event, JoiningDesk, OutreachTeam, ServiceProject
from stations.models import ActivityKind
from tests.factories import JIAFENG
from tests.stations.factories import ensure_catalogues
from unionhub.validators import credit_code_check_char

_serial = itertools.count(1)


def code(n: int | None = None, county: str = "140521") -> str:
    base = f"92{county}MA1{(n if n is not None else next(_serial)):06d}"[:17]
    return base + credit_code_check_char(base)


def employer(town: str = JIAFENG, workers: int = 10, **fields) -> Employer:
    n = next(_serial)
    fields.setdefault("credit_code", code(n, town[:6]))
    fields.setdefault("name", f"测试{n}有限公司")
    return Employer.objects.create(town_id=town, workers=workers, **fields)


def team(county: str = "140521", towns=(JIAFENG,)) -> OutreachTeam:
    made = OutreachTeam.objects.create(name=f"建会小分队{next(_serial)}", county_id=county)
    made.towns.set(towns)
    return made


def kind(code_: str = "film_night") -> ActivityKind:
    ensure_catalogues()
    return ActivityKind.objects.get(code=code_)


def event(station=None, region: str = JIAFENG, **fields) -> Event:
    now = timezone.now()
    fields.setdefault("starts_at", now - dt.timedelta(minutes=30))
    fields.setdefault("ends_at", now + dt.timedelta(hours=2))
    return Event.objects.create(
        title=fields.pop("title", "职工观影夜"),
        kind=kind(),
        station=station,
        region_id=station.region_id if station else region,
        **fields,
    )


def desk(union, **fields) -> JoiningDesk:
    now = timezone.now()
    fields.setdefault("starts_at", now - dt.timedelta(hours=1))
    fields.setdefault("ends_at", now + dt.timedelta(hours=5))
    return JoiningDesk.objects.create(name="流动入会窗口", union=union, place="人民广场", **fields)


def project(county: str = "140521", **fields) -> ServiceProject:
    fields.setdefault("measure", "events")
    fields.setdefault("title", f"项目{next(_serial)}")
    fields.setdefault("target", 100)
    return ServiceProject.objects.create(year=timezone.localdate().year, county_id=county, owner="县总工会", **fields)

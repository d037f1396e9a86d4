"""Scoping-matrix cases for outreach (see tests/scope_cases.py)."""

import datetime as dt

from outreach.models import (
    CheckIn,
    Employer,
    EmployerImport,
    Event,
    JoiningDesk,
    OutreachTeam,
    ServiceProject,
    SignUp,
    Visit,
)
from outreach.services import checkin_scan, signup_create
from tests.factories import TOWN_OF, UnionOrganizationFactory
from tests.outreach import factories as f
from tests.scope_cases import ScopeCase, register
from tests.stations.scope_cases import station_in

_scan = iter(range(10**6))


def event_in(county, people):
    return f.event(station=station_in(county, people))


def signup_in(county, people):
    return signup_create(event=event_in(county, people), name="张三", mobile=f"1391234{next(_scan):04d}", consent=True)


def checkin_in(county, people):
    signup = signup_in(county, people)
    return checkin_scan(event=signup.event, code=signup.code, scan_id=f"scan-{next(_scan)}")


def visit_in(county, people):
    employer = f.employer(town=TOWN_OF[county])
    return Visit.objects.create(
        employer=employer,
        team=f.team(county, [TOWN_OF[county]]),
        visited_on=dt.date(2026, 9, 1),
        visitors="王丽",
        met="总经理",
        said="介绍建会",
    )


register(ScopeCase(Employer, lambda county, people: f.employer(town=TOWN_OF[county]), "town", lambda e: e.name))
register(ScopeCase(OutreachTeam, lambda county, people: f.team(county, [TOWN_OF[county]]), "county", str))
register(ScopeCase(Visit, visit_in, None, str))
register(ScopeCase(Event, event_in, "station", lambda e: e.title, station_scoped=True))
register(ScopeCase(SignUp, signup_in, None, lambda s: s.name, station_scoped=True))
register(ScopeCase(CheckIn, checkin_in, None, str, station_scoped=True))
register(
    ScopeCase(
        JoiningDesk,
        lambda county, people: f.desk(UnionOrganizationFactory(region_id=TOWN_OF[county])),
        "union",
        lambda d: d.name,
    )
)
register(ScopeCase(ServiceProject, lambda county, people: f.project(county), "county", lambda p: p.title))


def employer_import_in(county, people):
    return EmployerImport.objects.create(
        created_by=people["root"], county_id=county, filename=f"{county}.csv", file=f"employer-lists/{county}.csv"
    )


register(ScopeCase(EmployerImport, employer_import_in, None, lambda b: b.filename))

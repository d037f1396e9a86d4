"""Scoping-matrix cases for casework (see tests/scope_cases.py).

``tests/scope_cases.load_app_cases`` lists the apps whose cases it loads; until "casework" is added there
(the integrator's one-word change) ``tests/casework/__init__.py`` imports this module, which covers a run of
the whole suite."""

import datetime as dt
from decimal import Decimal

from casework.models import (
    Agreement,
    CalendarOverride,
    MediationCase,
    Referral,
    TimeLimit,
    UnionHandler,
    WorkerRequest,
)
from casework.services import agreements, mediation
from tests.casework.factories import file_request, hierarchy, mediation_station
from tests.factories import TOWN_OF, UserFactory
from tests.scope_cases import ScopeCase, register


def request_in(county, people):
    unions = hierarchy(county)
    return file_request(employer_name=unions["grassroots"].employer, county_code=county)


def case_in(county, people):
    station = mediation_station(region_id=TOWN_OF[county])
    return mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=dt.date(2026, 9, 1))


def agreement_in(county, people):
    case = case_in(county, people)
    mediation.claim_add(case=case, description="工资", amount_claimed=Decimal("10.00"), amount_agreed=Decimal("10.00"))
    return agreements.agreement_sign(case=case, signed_on=dt.date(2026, 9, 2), terms="一次性支付。")


def referral_in(county, people):
    request = request_in(county, people)
    return Referral.objects.create(request=request, department="inspection", referred_on=dt.date(2026, 9, 3))


def handler_in(county, people):
    return UnionHandler.objects.create(union=hierarchy(county)["grassroots"], user=UserFactory())


register(ScopeCase(WorkerRequest, request_in, None, lambda r: r.reference))
register(ScopeCase(MediationCase, case_in, "station", lambda c: c.number))
register(ScopeCase(Agreement, agreement_in, None, str))
register(
    ScopeCase(
        TimeLimit,
        lambda county, people: TimeLimit.objects.create(
            category="wages", region_id=county, acknowledge_days=1, resolve_days=7
        ),
        "region",
        str,
    )
)
register(
    ScopeCase(
        CalendarOverride,
        lambda county, people: CalendarOverride.objects.create(
            date=dt.date(2027, 1, 1), is_workday=False, region_id=county
        ),
        "region",
        str,
    )
)
register(ScopeCase(UnionHandler, handler_in, "union", str))
register(ScopeCase(Referral, referral_in, None, str))

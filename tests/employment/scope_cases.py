"""Scoping-matrix cases for employment (see tests/scope_cases.py). Rows made in county A belong to a station
dave manages."""

import datetime as dt

from employment.models import JobFair, JobSheet, JobWish, MinimumWage, Referral, Vacancy
from employment.services import referral_make, sheet_print
from tests.employment.factories import TODAY, filed, minimum_wage, published
from tests.factories import QINSHUI, TOWN_OF
from tests.scope_cases import ScopeCase, register
from tests.stations.factories import StationFactory


def station_in(county, people):
    managers = [people["dave"]] if county == QINSHUI else []
    return StationFactory(region_id=TOWN_OF[county], managers=managers)


def vacancy_in(county, people):
    return published(station_in(county, people), county=county)


def wish_in(county, people):
    return filed(station_in(county, people), county=county)


def referral_in(county, people):
    vacancy = vacancy_in(county, people)
    return referral_make(vacancy=vacancy, wish=filed(vacancy.station), user=None, today=TODAY)


def sheet_in(county, people):
    return sheet_print(station=vacancy_in(county, people).station, user=None, today=TODAY)


def fair_in(county, people):
    return JobFair.objects.create(
        name=f"招聘会{county}", region_id=county, station=station_in(county, people), held_on=dt.date(2026, 5, 1)
    )


register(ScopeCase(Vacancy, vacancy_in, None, str, station_scoped=True))
register(ScopeCase(JobWish, wish_in, None, str, station_scoped=True))
register(ScopeCase(Referral, referral_in, None, str, station_scoped=True))
register(ScopeCase(JobSheet, sheet_in, None, str, station_scoped=True))
register(ScopeCase(JobFair, fair_in, None, lambda f: f.name, station_scoped=True))
register(ScopeCase(MinimumWage, lambda c, p: minimum_wage(c), "region", str))

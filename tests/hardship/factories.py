"""Hardship test data: households filed and put on file through the services, programmes and funds."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hardship.models import CountyCriteria, Fund, Household, HouseholdStatus, Programme
from hardship.services import fund_allocate
from tests.factories import TOWN_OF, UnionOrganizationFactory
from unionhub.validators import resident_id_check_char

_serial = itertools.count(1)


def resident_id(county: str = "140521", birth: str = "19800101") -> str:
    base = f"{county}{birth}{next(_serial) % 1000:03d}"
    return base + resident_id_check_char(base)


def grassroots(county: str):
    return UnionOrganizationFactory(region_id=TOWN_OF[county])


def criteria(county: str, year: int = 2026, **fields) -> CountyCriteria:
    return CountyCriteria.objects.get_or_create(
        county_id=county, year=year, defaults={"minimum_living": Decimal("700.00"), **fields}
    )[0]


def household(county: str = "140521", *, union=None, status=HouseholdStatus.ON_FILE, **fields) -> Household:
    """A household written directly (the services' journey is tested on its own)."""
    union = union or grassroots(county)
    values = {
        "head_name": "张建国",
        "resident_id": resident_id(county),
        "mobile": "13912345678",
        "layer": "deep",
        "cause": "illness",
        "people_count": 3,
        "annual_income": Decimal("18000.00"),
        "bank_name": "农业银行",
        "bank_account": "6228480000012345678",
        "filed_on": dt.date(2026, 1, 5) if status == HouseholdStatus.ON_FILE else None,
        **fields,
    }
    return Household.objects.create(union=union, status=status, **values)


def fund(county: str = "140521", amount: Decimal | None = Decimal("100000.00"), **fields) -> Fund:
    made = Fund.objects.create(
        county_id=county, name=fields.pop("name", "中央财政帮扶资金"), source="central", **fields
    )
    if amount:
        fund_allocate(fund=made, amount=amount)
        made.refresh_from_db()
    return made


def programme(county: str = "140521", *, fund_=None, **fields) -> Programme:
    values = {"name": "季度慰问", "rule": "fixed", "amount": Decimal("300.00"), **fields}
    return Programme.objects.create(county_id=county, fund=fund_ or fund(county), **values)

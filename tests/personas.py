"""The people in our test stories.

alice - county staff in 沁水县 (county A)         bob   - county staff in 阳城县 (county B)
carol - city staff in 晋城市, above both (read)   dave  - station manager of one station in 沁水县
erin  - inspector in 沁水县                      root  - superuser
hank  - a union chair (handler role) of no union in the cases: reaches nothing by region
"""

from dataclasses import dataclass

import pytest

from tests.factories import JINCHENG, QINSHUI, YANGCHENG, UserFactory, ensure_regions
from unionhub.models import Role


@dataclass(frozen=True)
class Persona:
    name: str
    role: str | None
    region: str | None
    superuser: bool = False

    def sees_county(self, county: str) -> bool:
        """Whether this persona's region reach covers a county (station managers have no region)."""
        return self.superuser or bool(self.region and county.startswith(self.region))


PERSONAS = {
    "alice": Persona("alice", Role.COUNTY_STAFF, QINSHUI),
    "bob": Persona("bob", Role.COUNTY_STAFF, YANGCHENG),
    "carol": Persona("carol", Role.REGIONAL_STAFF, JINCHENG),
    "dave": Persona("dave", Role.STATION_MANAGER, None),
    "erin": Persona("erin", Role.INSPECTOR, QINSHUI),
    "root": Persona("root", None, None, superuser=True),
    # A union chair or desk: no region; reaches only the requests held by their unions or given to them.
    "hank": Persona("hank", Role.UNION_HANDLER, None),
}


@pytest.fixture
def regions(db):
    ensure_regions()


def make_persona(persona: Persona):
    user = UserFactory(username=persona.name, role=persona.role, region=persona.region)
    if persona.superuser:
        user.is_superuser = True
        user.save()
    return user


@pytest.fixture
def people(regions):
    """Every persona as a saved user, by name."""
    return {name: make_persona(persona) for name, persona in PERSONAS.items()}


@pytest.fixture
def alice(people):
    return people["alice"]


@pytest.fixture
def bob(people):
    return people["bob"]


@pytest.fixture
def carol(people):
    return people["carol"]


@pytest.fixture
def dave(people):
    return people["dave"]


@pytest.fixture
def root(people):
    return people["root"]


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login

"""Scoping-matrix case for the API's tokens (see tests/scope_cases.py): a token is scoped as its user."""

from api.models import ApiToken
from api.services.tokens import token_create
from tests.factories import TOWN_OF, UserFactory
from tests.scope_cases import ScopeCase, register


def token_in(county, people):
    return token_create(user=UserFactory(region=TOWN_OF[county]), name="省级平台")[0]


register(ScopeCase(ApiToken, token_in, None, lambda t: t.name))

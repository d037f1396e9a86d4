"""Who is calling: a staff token (``StaffToken``: the call acts as the token's user, with their permissions and
region reach) or a worker's mini-program login (``WorkerToken``). Both are ``Authorization: Bearer …``; a
malformed, unknown, expired or revoked one is a 401 problem saying which. Rate limits as the public pages'
(``unionhub.http.over_limits``) answer 429 with ``Retry-After``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from api.services.tokens import TokenRefused, token_authenticate
from api.services.workers import worker_authenticate
from api.views.problems import Problem
from unionhub.http import over_limits


class StaffToken(HttpBearer):
    def authenticate(self, request, token: str):
        try:
            api_token = token_authenticate(token.strip())
        except TokenRefused as exc:
            raise Problem(401, str(exc), code="bad-token") from None
        request.user = api_token.user
        request.api_token = api_token
        return api_token


class WorkerToken(HttpBearer):
    def authenticate(self, request, token: str):
        try:
            session = worker_authenticate(token.strip())
        except TokenRefused as exc:
            raise Problem(401, str(exc), code="bad-token") from None
        request.worker = session
        return session


def limit(request, *, group: str, rate: str, value: str | None = None, count: bool = True) -> None:
    """Count one attempt as the public page with the same ``group`` does; 429 once over ``rate``."""
    limits(request, (group, rate, value, count))


def limits(request, *counted: tuple[str, str, str | None, bool]) -> None:
    """``limit`` for several ``(group, rate, value, count)`` at once, in one round trip to the cache."""
    wait = over_limits(request, *counted)
    if wait:
        raise Problem(
            429,
            _("Too many attempts. Please try again in %(minutes)s minutes.") % {"minutes": max(1, round(wait / 60))},
            headers={"Retry-After": str(wait)},
        )


def verified_mobile(request) -> str:
    """The mobile number bound to the worker's login, or a 403 problem asking them to verify it first."""
    mobile = request.worker.verified_mobile
    if not mobile:
        raise Problem(403, _("Verify your mobile number first (send a code, then confirm it)."), code="no-mobile")
    return mobile

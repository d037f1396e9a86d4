"""Every API endpoint and method, for every persona's token, in and out of scope, and with no token (the URL
matrix of tests/unionhub/test_url_matrix.py, extended to /api/ - which that file leaves to this one).

``ROUTES`` classifies every URL pattern under /api/ and ``ENDPOINTS`` every (method, path) of the OpenAPI
document: a route or an operation nobody classified fails the first test, so a new endpoint cannot land without
saying who may call it. Expected outcomes come from the persona's permissions and region reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from api.routers import STAFF
from api.routers.lists import ListSpec
from api.views.site import api as ninja_api
from casework.selectors.reach import request_actable
from tests.api.conftest import V1, login, problem, verify
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import resident_id
from tests.personas import PERSONAS
from tests.scope_cases import CASES, load_app_cases
from tests.unionhub import url_matrix
from unionhub.lists import may_view

load_app_cases()
pytestmark = pytest.mark.django_db

SPECS: list[ListSpec] = [spec for _prefix, module in STAFF for spec in module.SPECS]
PREFIX = {spec.key: prefix for prefix, module in STAFF for spec in module.SPECS}

# URL patterns under /api/ (Django's view of them): what each is.
ROUTES = {
    "api/v1/": "api_root",
    "api/v1/openapi.json": "schema",
    "api/v1/docs/": "docs",
    "api/^(?P<rest>.*)$": "catch_all",
}


def _endpoints() -> dict[tuple[str, str], str]:
    found = {}
    for spec in SPECS:
        base = f"/api/v1/staff/{PREFIX[spec.key]}/{spec.key}/"
        found[("GET", base)] = "staff_list"
        if spec.tracks_changes:
            found[("GET", base + "changes/")] = "staff_changes"
        found[("GET", base + "deletions/")] = "staff_deletions"
        found[("GET", base + "{id}/")] = "staff_detail"
    found |= {
        ("POST", "/api/v1/staff/membership/applications/{id}/decision/"): "staff_decision",
        ("POST", "/api/v1/staff/casework/requests/{id}/steps/"): "staff_step",
        ("POST", "/api/v1/worker/login/"): "worker_login",
        ("GET", "/api/v1/worker/stations/nearest/"): "public",
        ("GET", "/api/v1/worker/stations/{code}/"): "public",
        ("GET", "/api/v1/worker/me/"): "worker",
        ("POST", "/api/v1/worker/mobile/code/"): "worker",
        ("POST", "/api/v1/worker/mobile/verify/"): "worker",
        ("POST", "/api/v1/worker/stations/{code}/rating/"): "worker",
        ("POST", "/api/v1/worker/applications/"): "worker",
        ("GET", "/api/v1/worker/applications/"): "worker_own",
        ("GET", "/api/v1/worker/applications/{reference}/"): "worker_own",
        ("POST", "/api/v1/worker/requests/"): "worker",
        ("GET", "/api/v1/worker/requests/"): "worker_own",
        ("GET", "/api/v1/worker/requests/{reference}/"): "worker_own",
        ("POST", "/api/v1/worker/requests/{reference}/rating/"): "worker_own",
        ("GET", "/api/v1/worker/events/"): "public",
        ("GET", "/api/v1/worker/events/{code}/"): "public",
        ("POST", "/api/v1/worker/events/{code}/signups/"): "worker",
        ("GET", "/api/v1/worker/signups/"): "worker_own",
        ("GET", "/api/v1/worker/signups/{code}/"): "worker_own",
        ("POST", "/api/v1/worker/signups/{code}/cancel/"): "worker_own",
        ("GET", "/api/v1/worker/stations/{code}/vacancies/"): "public",
        ("GET", "/api/v1/worker/vacancies/nearest/"): "public",
        ("POST", "/api/v1/worker/stations/{code}/wishes/"): "worker",
        ("GET", "/api/v1/worker/wishes/"): "worker_own",
        ("POST", "/api/v1/worker/wishes/{id}/renew/"): "worker_own",
    }
    return found


ENDPOINTS = _endpoints()
NOT_LOGGED: set[str] = set()  # rows the reveal log (membership.choices.RevealSubject) cannot name: none now


def schema_operations() -> set[tuple[str, str]]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def test_every_api_route_and_operation_is_classified():
    routes = [route.route for route in url_matrix.routes() if route.route.startswith("api/")]
    operation_paths = {path.removeprefix("/") for _method, path in ENDPOINTS}
    unknown = [r for r in routes if r not in ROUTES and _ninja_form(r) not in operation_paths]
    assert not unknown, f"classify these /api/ routes in tests/api/test_api_matrix.py: {unknown}"
    operations = schema_operations()
    assert operations == set(ENDPOINTS), (
        f"unclassified: {sorted(operations - set(ENDPOINTS))}; gone: {sorted(set(ENDPOINTS) - operations)}"
    )


def _ninja_form(route: str) -> str:
    """``api/v1/staff/x/<int:id>/`` as the schema writes it: ``api/v1/staff/x/{id}/``."""
    import re

    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_the_docs_schema_and_unknown_addresses_need_no_token(client):
    assert client.get(f"{V1}/openapi.json").status_code == 200
    docs = client.get(f"{V1}/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower() and b"//unpkg" not in docs.content
    assert problem(client.get("/api/nothing"))["status"] == 404
    assert problem(client.get(f"{V1}/"))["status"] == 404


def _visible(persona, county: str, case) -> bool:
    if persona.sees_county(county):
        return True
    return persona.name == "dave" and case.station_scoped and county == QINSHUI


@pytest.mark.parametrize("spec", SPECS, ids=[spec.key for spec in SPECS])
def test_every_staff_read_endpoint_for_every_persona_in_and_out_of_scope(spec, people, api, token_for):
    case = CASES[spec.model]
    objects = {"in": case.make(QINSHUI, people), "out": case.make(YANGCHENG, people)}
    base = f"{V1}/staff/{PREFIX[spec.key]}/{spec.key}/"
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    params = dict(spec.every_row)
    failures = []

    # No token: every one of them is a 401 problem.
    changes = [f"{base}changes/"] if spec.tracks_changes else []
    for url in (base, *changes, f"{base}deletions/", f"{base}{objects['in'].pk}/"):
        response = api.get(url, since=since) if url.endswith(("changes/", "deletions/")) else api.get(url)
        if response.status_code != 401:
            failures.append(f"anonymous {url}: {response.status_code}")
    if not spec.tracks_changes:  # no such endpoint: "changes" is not an id
        assert problem(api.get(f"{base}changes/", token_for(people["root"]), since=since))["status"] == 400

    for name, persona in PERSONAS.items():
        user = people[name]
        secret = token_for(user)
        allowed = may_view(user, spec.model)
        answers = [("list", api.get(base, secret, limit=200, **params))]
        if spec.tracks_changes:
            answers.append(("changes", api.get(f"{base}changes/", secret, since=since, limit=200, **params)))
        for label, response in answers:
            if not allowed:
                if response.status_code != 403:
                    failures.append(f"{name} {label}: {response.status_code}, expected 403")
                continue
            if response.status_code != 200:
                failures.append(f"{name} {label}: {response.status_code} {response.content[:200]}")
                continue
            ids = {row["id"] for row in response.json()["results"]}
            for which, obj in objects.items():
                county = QINSHUI if which == "in" else YANGCHENG
                want = _visible(persona, county, case)
                if label == "changes" and spec.key == "allocations":  # changed: its run computed or approved since
                    want = want and bool(obj.run.computed_at or obj.run.approved_at)
                if (obj.pk in ids) != want:
                    failures.append(f"{name} {label} {which}: listed={obj.pk in ids}, expected {want}")
        for which, obj in objects.items():
            response = api.get(f"{base}{obj.pk}/", secret)
            county = QINSHUI if which == "in" else YANGCHENG
            want = (200 if _visible(persona, county, case) else 404) if allowed else 403
            if response.status_code != want:
                failures.append(f"{name} detail {which}: {response.status_code}, expected {want}")
            elif want != 200:
                problem(response)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("spec", [s for s in SPECS if any(c.name in ("mobile", "resident_id") for c in s.columns)],
                         ids=lambda s: s.key)  # fmt: skip
def test_personal_numbers_are_masked_and_revealed_only_with_the_permission_and_logged(spec, people, api, token_for):
    from membership.models import PersonalDataReveal

    obj = CASES[spec.model].make(QINSHUI, people)
    base = f"{V1}/staff/{PREFIX[spec.key]}/{spec.key}/{obj.pk}/"
    for name in ("alice", "carol", "root"):
        user = people[name]
        secret = token_for(user)
        if not may_view(user, spec.model):
            continue
        masked = api.get(base, secret).json()
        assert "*" in masked["mobile"] and masked["mobile"] != obj.mobile
        before = PersonalDataReveal.objects.count()
        revealed = api.get(base, secret, reveal="true")
        if user.has_perm("membership.reveal_personal_data") and spec.key in NOT_LOGGED:
            # membership's reveal log has no subject for these yet: refused, nothing shown, nothing logged
            assert revealed.status_code == 403 and problem(revealed)["type"].endswith("reveal-not-logged")
            assert PersonalDataReveal.objects.count() == before
        elif user.has_perm("membership.reveal_personal_data"):
            assert revealed.status_code == 200 and revealed.json()["mobile"] == obj.mobile
            assert PersonalDataReveal.objects.count() == before + 1
        else:
            assert revealed.status_code == 403 and problem(revealed)
            assert PersonalDataReveal.objects.count() == before
    listed = api.get(f"{V1}/staff/{PREFIX[spec.key]}/{spec.key}/", token_for(people["root"]), **spec.every_row).json()
    assert all("*" in row["mobile"] or not row["mobile"] for row in listed["results"])


def test_deciding_an_application_for_every_persona_in_and_out_of_scope(people, api, token_for):
    case = CASES[next(s.model for s in SPECS if s.key == "applications")]
    failures = []
    for name, persona in [*PERSONAS.items(), ("anonymous", None)]:
        user = people.get(name)
        secret = token_for(user) if user else None
        for which, county in (("in", QINSHUI), ("out", YANGCHENG)):
            application = case.make(county, people)
            url = f"{V1}/staff/membership/applications/{application.pk}/decision/"
            response = api.post(url, {"action": "reject", "reason": "材料不全"}, secret)
            if user is None:
                want = 401
            elif not _visible(persona, county, case):
                want = 404
            elif not user.has_perm("membership.change_membershipapplication"):
                want = 403
            else:
                want = 200
            application.refresh_from_db()
            if response.status_code != want or (application.status == "rejected") != (want == 200):
                failures.append(f"{name} {which}: {response.status_code} ({application.status}), expected {want}")
    assert not failures, "\n".join(failures)


def test_a_handling_step_for_every_persona_in_and_out_of_scope(people, api, token_for):
    from casework.models import WorkerRequest

    case = CASES[WorkerRequest]
    failures = []
    for name, persona in [*PERSONAS.items(), ("anonymous", None)]:
        user = people.get(name)
        secret = token_for(user) if user else None
        for which, county in (("in", QINSHUI), ("out", YANGCHENG)):
            obj = case.make(county, people)
            url = f"{V1}/staff/casework/requests/{obj.pk}/steps/"
            response = api.post(url, {"action": "accept", "message": "已受理"}, secret)
            if user is None:
                want = 401
            elif not _visible(persona, county, case):
                want = 404
            elif not (user.has_perm("casework.change_workerrequest") and request_actable(obj, user)):
                want = 403
            else:
                want = 200
            obj.refresh_from_db()
            if response.status_code != want or (obj.status == "accepted") != (want == 200):
                failures.append(f"{name} {which}: {response.status_code} ({obj.status}), expected {want}")
    assert not failures, "\n".join(failures)


def test_worker_endpoints_with_no_token_a_staff_token_and_someone_elses_login(api, county, wechat, alice, token_for):
    from tests.outreach.factories import event

    station = county["station"]
    film = event(station=station)
    staff = token_for(alice)
    failures = []
    for (method, path), kind in ENDPOINTS.items():
        if not path.startswith("/api/v1/worker/") or kind == "worker_login":
            continue
        code = film.code if path.startswith(("/api/v1/worker/events/", "/api/v1/worker/signups/")) else station.code
        url = path.replace("{code}", code).replace("{reference}", "SABCDEFGHJ").replace("{id}", "1")
        for label, token in (("anonymous", None), ("staff", staff)):
            response = api.get(url, token) if method == "GET" else api.post(url, {}, token)
            want = 401 if kind != "public" else (200 if method == "GET" else 405)
            if kind == "public" and "nearest" in url:
                want = 400  # no coordinates given
            if response.status_code != want:
                failures.append(f"{label} {method} {url}: {response.status_code}, expected {want}")
            problem(response) if response.status_code >= 400 else None
    assert not failures, "\n".join(failures)

    # Someone else's application and request: not found to another verified worker, listed to nobody else.
    owner, other = login(api, "owner"), login(api, "other")
    verify(api, owner, "13912345678")
    verify(api, other, "13700000000")
    body = {
        "name": "王师傅",
        "resident_id": resident_id(QINSHUI),
        "mobile": "13912345678",
        "occupation": "truck_driver",
        "station": station.code,
        "consent": True,
    }
    created = api.post(f"{V1}/worker/applications/", body, owner)
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    assert api.get(f"{V1}/worker/applications/{reference}/", other).status_code == 404
    assert api.get(f"{V1}/worker/applications/", other).json() == []
    assert api.get(f"{V1}/worker/applications/{reference}/", owner).status_code == 200


def test_wrong_methods_are_405_problems(api, alice, token_for):
    secret = token_for(alice)
    response = api.post(f"{V1}/staff/membership/members/", {}, secret)
    assert response.status_code == 405 and "GET" in response["Allow"] and problem(response)
    response = api.client.delete(f"{V1}/worker/login/")
    assert response.status_code == 405 and problem(response)

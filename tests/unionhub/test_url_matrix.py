"""Every URL the project serves, requested by every persona, in and out of scope (see url_matrix.py).

Expected outcomes come from the persona's permissions (``user.has_perm``) and region reach, and from the
custom views' table in url_matrix.py; an admin's own ``has_*_permission`` may only narrow them (a locked
run cannot be deleted), never widen them."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import QINSHUI, YANGCHENG
from tests.personas import PERSONAS
from tests.scope_cases import CASES, load_app_cases
from tests.unionhub import url_matrix as matrix
from unionhub.admin.base import ScopedAdminMixin, has_simple_history
from unionhub.admin.views import CHECKED_ATTRIBUTE

load_app_cases()

MODELS = list(site._registry)
NAMES = [*PERSONAS, "anonymous"]


def clients(people):
    result = {}
    for name in PERSONAS:
        client = Client()
        client.force_login(people[name], backend="django.contrib.auth.backends.ModelBackend")
        result[name] = client
    result["anonymous"] = Client()
    matrix.COUNTS["personas"] = len(result)
    return result


def visible(persona, county, case) -> bool:
    if persona.sees_county(county):
        return True
    return persona.name == "dave" and case.station_scoped and county == QINSHUI


def expected(classified, user, model_admin, obj, is_visible) -> str:
    if user is None:
        return "login"
    opts = model_admin.opts
    request = RequestFactory().get("/")
    request.user = user

    def has(action):
        return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    custom = classified.custom
    if custom is not None:
        if not user.has_perms(custom.permissions):
            return "denied"
        if not custom.for_object:
            return "not_found" if custom.missing else "ok"
        if not is_visible:
            return "index"
        if custom.uploader and obj.created_by_id != user.pk:
            return "denied"
        return "not_found" if custom.missing else "ok"
    view = classified.view
    viewer = has("view") or has("change")
    if view == "changelist":
        return "ok" if viewer else "denied"
    if view == "add":
        return "ok" if has("add") and model_admin.has_add_permission(request) else "denied"
    if view in ("import", "process_import"):
        return "ok" if has("add") and model_admin.has_import_permission(request) else "denied"
    if view == "export":
        return "ok" if has("view") and model_admin.has_export_permission(request) else "denied"
    if view == "delete":
        if not (has("delete") and model_admin.has_delete_permission(request)):
            return "denied"
        if not is_visible:
            return "index"
        return "ok" if model_admin.has_delete_permission(request, obj) else "denied"
    if view == "history" and obj is None and not isinstance(model_admin, ScopedAdminMixin):
        return "index"  # Django's own history view looks the object up first (third-party admins, no rows)
    if not viewer:  # change, history, a history version
        return "denied"
    if not is_visible:
        return "index"
    return "ok" if model_admin.has_view_or_change_permission(request, obj) else "denied"


def request_for(client, route, classified, obj):
    name = route.name
    view = classified.view
    if classified.custom is not None:
        args = [obj.pk] if classified.custom.for_object else list(classified.custom.args)
        method = classified.custom.method
    elif view == "simple_history":
        record = obj.history.order_by("-history_id").first() if obj is not None else None
        args = [obj.pk if obj else 999999, record.history_id if record else 1]
        method = "GET"
    else:
        args = [obj.pk if obj is not None else 999999] if view in ("change", "delete", "history") else []
        method = "POST" if view == "process_import" else "GET"
    url = reverse(name, args=args)
    return client.post(url) if method == "POST" else client.get(url)


def test_every_url_is_known_and_every_custom_admin_view_goes_through_the_helper():
    unknown, unchecked = [], []
    for route in matrix.routes():
        try:
            classified = matrix.classify(route)
        except matrix.UnknownRoute as exc:
            unknown.append(str(exc))
            continue
        if (
            classified.custom
            and not classified.custom.library
            and not hasattr(route.pattern.callback, CHECKED_ATTRIBUTE)
        ):
            unchecked.append(route.route)
    assert not unknown, "\n".join(unknown)
    assert not unchecked


def test_history_urls_exist_only_where_history_does():
    for model, model_admin in site._registry.items():
        names = {c.view for _, c in matrix.model_routes(model)}
        assert ("simple_history" in names) == has_simple_history(model), model
        assert ("history" in names) == (getattr(model_admin, "history_kind", "log") is not None), model


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_every_admin_url_of_a_model_for_every_persona(model, people):
    model_admin = site._registry[model]
    case = CASES.get(model)
    if case is not None:
        objects = {"in": case.make(QINSHUI, people), "out": case.make(YANGCHENG, people)}
    else:
        objects = {"in": model._default_manager.first()}
    by_name = clients(people)
    failures = []
    for route, classified in matrix.model_routes(model):
        object_view = (
            classified.custom.for_object
            if classified.custom
            else classified.view not in ("changelist", "add", "import", "process_import", "export")
        )
        for name in NAMES:
            persona = PERSONAS.get(name)
            user = people.get(name)
            for which, obj in objects.items() if object_view else [("in", objects["in"])]:
                if case is not None:
                    is_visible = visible(persona, QINSHUI if which == "in" else YANGCHENG, case) if persona else False
                else:
                    is_visible = obj is not None and bool(persona and persona.superuser)
                if obj is None and classified.custom is not None:
                    continue
                response = request_for(by_name[name], route, classified, obj)
                got = matrix.outcome_of(response)
                want = expected(classified, user, model_admin, obj, is_visible)
                matrix.COUNTS["requests"] += 1
                matrix.COVERED.add(route.route)
                failures += [f"{route.name} {name}: {problem}" for problem in matrix.csp_problems(response)]
                if got != want:
                    failures.append(f"{route.name} {name} {which}: got {got}, expected {want}")
                elif classified.view == "change" and response.status_code == 200:
                    # No "history" link where there is no history (it would lead nowhere, or to a 500).
                    has_history = getattr(model_admin, "history_kind", "log") is not None
                    if (b"historylink" in response.content) != has_history:
                        failures.append(f"{route.name} {name}: history link shown = {not has_history}")
    assert not failures, "\n".join(failures)


def _site_request(client, route, classified, extra):
    view = classified.view
    if classified.kind == "legacy_redirect":
        return [client.get(route.route.replace("<path:object_id>/", "1/").join(["/", ""]))]
    if classified.kind == "catch_all":
        return [client.get("/admin/no-such-page/")]
    if view == "app_list":
        return [(app, client.get(reverse(route.name, args=[app]))) for app in extra["apps"]]
    if view == "view_on_site":
        return [client.get(reverse(route.name, args=[extra["ct"], extra["in"].pk]))]
    if view == "public_station":
        return [(w, client.get(reverse(route.name, args=[extra[w].code]))) for w in ("in", "out")]
    if view == "reference":
        return [(w, client.get(reverse(route.name, args=[ref]))) for w, ref in (("in", "ABCD2345"), ("out", "abc"))]
    if view in ("case_private", "case_post", "outreach_code"):
        return [client.get(reverse(route.name, args=["ABCD2345"]))]
    return [client.get(reverse(route.name))]


def _sees_a_model(user, app_label) -> bool:
    return any(
        user.has_perm(f"{app_label}.{action}_{model._meta.model_name}")
        for model in site._registry
        if model._meta.app_label == app_label
        for action in ("view", "change")
    )


def _site_expected(classified, user, which):
    anonymous = user is None
    if classified.kind == "public":
        if classified.view in ("public_station", "reference"):
            return "ok" if which == "in" else "not_found"
        if classified.view == "case_private":
            return "not_found"  # without the session's proof, another person's request does not exist
        if classified.view == "case_post":
            return "not_allowed"
        if classified.view == "outreach_code":
            return "not_found"  # an event, ticket or desk code that does not exist (tests/outreach: one that does)
        return "ok"
    if anonymous:
        if classified.view in ("login_page", "logout", "redirect"):
            return "ok" if classified.view == "login_page" else "index"
        return "login"
    return {
        "legacy_redirect": "ok",
        "catch_all": "not_found",
        "staff": "ok",
        "login_page": "index",
        "logout": "not_allowed",
        "autocomplete": "denied",  # without its parameters; with them, see test_scope_matrix
        "view_on_site": "not_found",  # no model has a public address
        "redirect": "index",
        # The admin lists an app when the user may see one of its models (a permission such as reveal_personal
        # data alone shows nothing).
        "app_list": "ok" if which is None or _sees_a_model(user, which) else "not_found",
    }.get(classified.kind if classified.kind != "site" else classified.view, "?")


def test_every_site_and_public_url_for_every_persona(people):
    from stations.choices import StationStatus
    from tests.stations.factories import StationFactory

    extra = {
        "in": StationFactory(region_id="140521104", status=StationStatus.OPERATING),
        "out": StationFactory(region_id="140521104", status=StationStatus.PLANNED),
        "apps": sorted({m._meta.app_label for m in site._registry}),
    }
    extra["ct"] = ContentType.objects.get_for_model(extra["in"]).pk
    by_name = clients(people)
    failures = []
    for route in matrix.routes():
        classified = matrix.classify(route)
        if classified.kind in ("model", "api"):  # /api/: tests/api/test_api_matrix.py
            continue
        for name in NAMES:
            user = people.get(name)
            for result in _site_request(by_name[name], route, classified, extra):
                which, response = result if isinstance(result, tuple) else (None, result)
                got = matrix.outcome_of(response)
                want = _site_expected(classified, user, which)
                matrix.COUNTS["requests"] += 1
                matrix.COVERED.add(route.route)
                if classified.view == "health":  # 503 is its answer while a worker or beat is missing
                    assert response.status_code in (200, 503) and response.json()["checks"]["database"] == "ok"
                    continue
                assert response.status_code < 500
                failures += [f"{route.route} {name}: {problem}" for problem in matrix.csp_problems(response)]
                if got != want:
                    failures.append(f"{route.route} {name} {which}: got {got}, expected {want}")
    assert not failures, "\n".join(failures)

"""The URL permission matrix as data: every URL the project serves, what each persona should get.

``routes()`` walks ``get_resolver()``. Each route is classified by ``classify``: a model admin's standard view
(changelist, add, change, delete, history, a simple-history version, import, export), a custom admin view
(listed in ``CUSTOM_VIEWS`` with the permissions it needs - written here, not read from the code), an admin
site page or a public page. A route nobody classified raises ``UnknownRoute``: a new view cannot land
without saying who may open it.

Outcomes: ``ok`` (200, or a redirect elsewhere after a POST action), ``denied`` (403), ``index`` (a redirect
to the admin index: what the admin does for a missing object, so an out-of-scope one must get it too),
``login`` (redirect to the login page), ``not_found`` (404)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.admin.sites import site
from django.urls import URLPattern, URLResolver, get_resolver, reverse

COUNTS = {"requests": 0, "personas": 0}
COVERED: set[str] = set()  # routes requested at least once


class UnknownRoute(AssertionError):
    pass


@dataclass(frozen=True)
class Route:
    route: str
    name: str | None  # with namespace
    pattern: URLPattern


@dataclass(frozen=True)
class Custom:
    """A custom admin view as the matrix expects it: the permissions it needs, its method, and an extra rule
    on the object (``uploader``: only the user who made the object)."""

    permissions: tuple[str, ...]
    method: str = "GET"
    uploader: bool = False
    for_object: bool = True
    library: bool = False  # a view Django itself adds (not through unionhub.admin.views)
    args: tuple = ()  # URL arguments of a view that is not about the admin's own object
    # With those arguments it finds nothing (an id that does not exist), or - an object view - the object has
    # nothing to give yet (an export whose file is not written): 404 when allowed.
    missing: bool = False


CUSTOM_VIEWS = {
    "membership_member_reveal": Custom(("membership.view_member", "membership.reveal_personal_data")),
    "membership_membershipapplication_reveal": Custom(
        ("membership.view_membershipapplication", "membership.reveal_personal_data")
    ),
    "casework_workerrequest_reveal": Custom(("casework.view_workerrequest", "membership.reveal_personal_data")),
    "casework_mediationcase_reveal": Custom(("casework.view_mediationcase", "membership.reveal_personal_data")),
    "membership_rosterimport_template": Custom(
        ("membership.add_rosterimport", "membership.add_member"), for_object=False
    ),
    "membership_rosterimport_confirm": Custom(
        ("membership.add_rosterimport", "membership.add_member"), "POST", uploader=True
    ),
    "membership_rosterimport_mapping": Custom(
        ("membership.add_rosterimport", "membership.add_member"), "POST", uploader=True
    ),
    "membership_rosterimport_progress": Custom(("membership.view_rosterimport",)),
    "unionhub_job_progress": Custom(("unionhub.view_job",)),
    "membership_member_export_job": Custom(("membership.view_member",), "POST", for_object=False),
    # Only the requester downloads; the matrix's exports have no file yet, so the requester gets 404.
    "membership_memberexport_download": Custom(("membership.view_memberexport",), uploader=True, missing=True),
    "membership_rosterimport_errors": Custom(("membership.view_rosterimport", "membership.reveal_personal_data")),
    "stations_evaluation_decide": Custom(("stations.view_evaluation", "stations.approve_evaluation"), "POST"),
    "stations_subsidyrun_compute": Custom(("stations.change_subsidyrun",), "POST"),
    "stations_subsidyrun_approve": Custom(("stations.view_subsidyrun", "stations.approve_subsidyrun"), "POST"),
    "stations_subsidyrun_paid": Custom(("stations.view_subsidyrun", "stations.approve_subsidyrun"), "POST"),
    "stations_subsidyrun_export": Custom(("stations.view_subsidyrun",)),
    # The station manager's day log (a user who manages no station gets a note, not the form) and its photos.
    "stations_activity_day": Custom(("stations.add_activity", "stations.add_visitorcount"), for_object=False),
    "stations_activity_photo": Custom(("stations.view_activity",), for_object=False, args=(999999,), missing=True),
    "stations_station_utilisation": Custom(("stations.view_station",), for_object=False),
    # The station page's lifecycle steps (整改, 摘牌, 恢复): county staff, on a station in reach.
    "stations_station_lifecycle": Custom(("stations.change_station", "stations.add_station")),
    "casework_mediationcase_figures": Custom(("casework.view_mediationcase",), for_object=False),
    "casework_agreement_print": Custom(("casework.view_agreement",)),
    "casework_mediationcase_certificate": Custom(("casework.view_mediationcase",)),
    "casework_workerrequest_attachment_download": Custom(
        ("casework.view_requestattachment",), for_object=False, args=(999999,), missing=True
    ),
    "casework_calendaroverride_import": Custom(("casework.add_calendaroverride",), for_object=False),
    "auth_user_password_change": Custom(("auth.change_user",), library=True),
    # Hardship assistance (hardship.admin): the household's steps, the worker's file, figures, the notice list,
    # the payment list of a cycle (an unapproved one redirects back with a message), a payment's outcome.
    "hardship_household_reveal": Custom(("hardship.view_household", "membership.reveal_personal_data")),
    "hardship_household_step": Custom(("hardship.change_household",)),
    "hardship_household_file": Custom(("hardship.view_household",)),
    "hardship_household_figures": Custom(("hardship.view_household",), for_object=False),
    "hardship_household_notice": Custom(("hardship.view_household",), for_object=False),
    "hardship_cycle_export": Custom(("hardship.view_cycle",)),
    "hardship_entitlement_mark": Custom(("hardship.change_entitlement",)),
    # hsapply: an evidence document's scoped download; the worker's file reached from a member's page.
    "hardship_household_evidence_download": Custom(
        ("hardship.view_evidence",), for_object=False, args=(999999,), missing=True
    ),
    "hardship_household_member_file": Custom(
        ("hardship.view_household",), for_object=False, args=(999999,), missing=True
    ),
    # hardship payments: the bank's result file of a cycle (upload, preview, confirm), the auditor's workbook.
    "hardship_cycle_results": Custom(("hardship.change_entitlement", "hardship.add_paymentimport")),
    "hardship_fund_audit": Custom(("hardship.view_fund", "hardship.view_entitlement"), for_object=False),
    # employment: the 监督核查 check page, the ranked matches both ways, figures, the wish import, job sheets.
    "employment_vacancy_check": Custom(("employment.view_vacancy", "employment.change_vacancy")),
    "employment_vacancy_matches": Custom(("employment.view_vacancy",)),
    "employment_vacancy_figures": Custom(("employment.view_vacancy",), for_object=False),
    "employment_jobwish_import_sheet": Custom(("employment.add_jobwish",), for_object=False),
    "employment_jobwish_matches": Custom(("employment.view_jobwish",)),
    "employment_jobwish_reveal": Custom(("employment.view_jobwish", "membership.reveal_personal_data")),
    "employment_jobsheet_new": Custom(("employment.view_jobsheet", "employment.view_vacancy"), for_object=False),
    "employment_jobsheet_print": Custom(("employment.view_jobsheet",)),
    # Outreach: the employer list's import and coverage, founding a union, the door's check-in and its scans.
    "outreach_employerimport_confirm": Custom(
        ("outreach.add_employerimport", "outreach.add_employer"), "POST", uploader=True
    ),
    "outreach_employerimport_progress": Custom(("outreach.view_employerimport",)),
    "outreach_visit_photo": Custom(("outreach.view_visitphoto",), for_object=False, args=(999999,), missing=True),
    "outreach_employer_coverage": Custom(("outreach.view_employer",), for_object=False),
    "outreach_employer_found": Custom(("outreach.change_employer", "unionhub.add_unionorganization"), "POST"),
    "outreach_event_checkin": Custom(("outreach.view_event", "outreach.add_checkin")),
    "outreach_event_scans": Custom(("outreach.view_event", "outreach.add_checkin"), "POST"),
    "outreach_joiningdesk_poster": Custom(("outreach.view_joiningdesk",)),
}

STANDARD = ("changelist", "add", "change", "delete", "history", "simple_history", "import", "process_import", "export")

# Admin site pages and public pages: name -> kind (see tests in test_url_matrix.py).
SITE_PAGES = {
    "admin:index": "staff",
    "admin:login": "login_page",
    "admin:logout": "logout",
    "admin:autocomplete": "autocomplete",
    "admin:jsi18n": "staff",
    "admin:password_change": "staff",
    "admin:password_change_done": "staff",
    "admin:view_on_site": "view_on_site",
    "admin:app_list": "app_list",
    "dashboard": "staff",
    "home": "redirect",
}
PUBLIC_PAGES = {
    "stations:list": "public",
    "stations:geojson": "public",
    "stations:detail": "public_station",
    "stations:poster": "public_station",
    "stations:rate": "public_station",
    "membership:join": "public",
    "membership:submitted": "reference",
    "membership:status": "public",
    "membership:privacy": "public",
    "membership:qr": "public",
    "healthz": "health",
    "casework:file": "public",
    "casework:status": "public",
    # A lost reference: a mobile number in, a message out; the page says the same whatever the number.
    "casework:find": "public",
    # A worker's own request: only after proving reference + mobile on the status page (kept in the session).
    "casework:detail": "case_private",
    "casework:rate": "case_post",
    "casework:reopen": "case_post",
    "casework:attach": "case_post",
    "casework:receipt": "case_private",
    # The public notice of households in difficulty (?county=): masked names, no ID numbers.
    "hardship:notice": "public",
    "hardship:notice_print": "public",
    # A worker's application from a phone; the reference page shows only its address; the status page
    # answers for reference + mobile together.
    "hardship:apply": "public",
    "hardship:applied": "reference",
    "hardship:status": "public",
    # employment: current vacancies (all stations; one operating station's) and the job-wish form at a station.
    "employment:list": "public",
    "employment:station": "public_station",
    "employment:wish": "public_station",
    # Outreach: an event's sign-up, a ticket (its code is the key), a desk's QR target (refused once closed).
    "outreach:signup": "outreach_code",
    "outreach:ticket": "outreach_code",
    "outreach:desk": "outreach_code",
}


def routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            found += routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            found.append(Route(prefix + str(entry.pattern), name, entry))
    return found


@dataclass
class Classified:
    kind: str  # "model", "site", "public", "legacy_redirect", "catch_all", "api" (tests/api/test_api_matrix.py)
    model: type | None = None
    view: str = ""  # the standard view name, or the custom view's key
    custom: Custom | None = None
    extra: dict = field(default_factory=dict)


def _model_admin_for(name: str):
    for model in site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, name.removeprefix(prefix)
    return None, None


def classify(route: Route) -> Classified:
    name = route.name
    callback = route.pattern.callback
    if route.route.startswith("api/"):
        # The JSON API: every route and method, by every persona's token, is classified and requested in
        # tests/api/test_api_matrix.py (tokens, not sessions; problem details, not pages).
        return Classified("api")
    if name is None:
        if route.route.endswith("<path:object_id>/") and callback.__module__ == "django.views.generic.base":
            return Classified("legacy_redirect")
        if getattr(callback, "__name__", "") == "catch_all_view":
            return Classified("catch_all")
        raise UnknownRoute(f"unnamed URL {route.route}")
    if name in SITE_PAGES:
        return Classified("site", view=SITE_PAGES[name])
    if name in PUBLIC_PAGES:
        return Classified("public", view=PUBLIC_PAGES[name])
    model, view = _model_admin_for(name)
    if model is not None:
        key = name.removeprefix("admin:")
        if key in CUSTOM_VIEWS:
            return Classified("model", model, key, CUSTOM_VIEWS[key])
        if view in STANDARD:
            return Classified("model", model, view)
    raise UnknownRoute(f"{route.route} ({name}): add it to tests/unionhub/url_matrix.py with who may open it")


def model_routes(model) -> list[tuple[Route, Classified]]:
    result = []
    for route in routes():
        try:
            classified = classify(route)
        except UnknownRoute:
            continue
        if classified.kind == "model" and classified.model is model:
            result.append((route, classified))
    return result


_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def csp_problems(response) -> list[str]:
    """What in an HTML page the Content-Security-Policy would block: inline scripts (a ``<script>`` without
    ``src`` that is not a JSON data block), inline event handlers, a missing policy header."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    problems = []
    policy = response.get("Content-Security-Policy", "")
    if "script-src 'self'" not in policy or "unsafe-inline" in policy.split("script-src")[1].split(";")[0]:
        problems.append(f"policy: {policy!r}")
    html = response.content.decode(errors="replace")
    for attributes in _SCRIPT_TAG.findall(html):
        if "src=" not in attributes and "application/json" not in attributes:
            problems.append(f"inline <script{attributes}>")
    problems += [f"inline handler {m!r}" for m in _INLINE_HANDLER.findall(html)[:3]]
    return problems


def outcome_of(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "login"
        if location == reverse("admin:index"):
            return "index"
        return "ok"
    return {200: "ok", 403: "denied", 404: "not_found", 405: "not_allowed"}.get(response.status_code, str(response))

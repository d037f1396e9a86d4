"""The API itself: ``/api/v1/``, its OpenAPI document (``openapi.json``) and docs page (``docs``, Swagger UI
from django-ninja's own static files: no CDN), every error a problem (``api.views.problems``)."""

from __future__ import annotations

import functools
import json

from django.http import Http404, HttpResponseNotFound
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Swagger
from ninja.parser import Parser

from api import routers
from api.views.problems import PROBLEM_TYPE, Problem, install, problem_response
from api.views.text import zh

JSON_TYPES = ("application/json", "application/problem+json")


class JsonOnly(Parser):
    """A JSON body must say so (``Content-Type: application/json``) and be an object."""

    def parse_body(self, request):
        content_type = request.content_type or ""
        if content_type not in JSON_TYPES:
            raise Problem(415, _("Send the body as JSON (Content-Type: application/json)."))
        try:
            data = json.loads(request.body)
        except ValueError:
            raise Problem(400, _("The request body could not be read: send a JSON object.")) from None
        if not isinstance(data, dict):
            raise Problem(400, _("The request body could not be read: send a JSON object."))
        return data


def build() -> NinjaAPI:
    api = NinjaAPI(
        title=zh(gettext_lazy("unionhub data API")),
        version="1",
        description=zh(
            gettext_lazy(
                "For staff platforms (a staff account's token, created in the admin) and workers' mini-programs "
                "(a WeChat login). Errors are RFC 9457 problem details (application/problem+json) with a Chinese "
                "detail and, for bad input, errors by field; 429 comes with Retry-After."
            )
        ),
        urls_namespace="api:v1",
        docs=Swagger(settings={"persistAuthorization": True}),
        docs_url="/docs/",
        openapi_url="/openapi.json",
        parser=JsonOnly(),
    )
    install(api)
    for prefix, module in routers.STAFF:
        api.add_router(f"/staff/{prefix}", module.staff)
    for _prefix, module in routers.WORKER:
        api.add_router("/worker/", module.worker)
    return api


api = build()


def _problems_only(view):
    """ninja answers a method a path does not take with a plain 405, and its root address with a plain 404:
    the same as problems (``Allow`` kept)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = HttpResponseNotFound()
        if response.status_code in (404, 405) and response.get("Content-Type", "") != PROBLEM_TYPE:
            if response.status_code == 404:
                return problem_response(Problem(404, _("There is no such API address. See /api/v1/docs/.")))
            problem = problem_response(Problem(405, _("This address does not take this method.")))
            problem["Allow"] = response.get("Allow", "")
            return problem
        return response

    return wrapped


def urls():
    """The API's URL patterns (``api.urls``), each view answering with problems only."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _problems_only(pattern.callback)
    return patterns, app_name, namespace


def not_found(request, rest: str = ""):
    """Any other address under /api/: a problem, not the HTML 404 page."""
    return problem_response(Problem(404, _("There is no such API address. See /api/v1/docs/.")))

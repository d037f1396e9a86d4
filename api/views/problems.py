"""Errors as RFC 9457 problem details (``application/problem+json``): a type, a title, the status, a Chinese
``detail`` and, for bad input, ``errors`` by field. Every error the API answers goes through here - refusals,
bad input, missing objects, rate limits (429 with ``Retry-After``) and the unexpected (500, logged, no trace)."""

from __future__ import annotations

import json
import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

log = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "urn:unionhub:problem:"


class Problem(Exception):
    """Raise to answer with a problem: ``Problem(400, _("…"), code="bad-cursor", errors={"cursor": ["…"]})``."""

    def __init__(self, status: int, detail: str, *, code: str = "", errors: dict | None = None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = str(detail)
        self.code = code or DEFAULT_CODES.get(status, "error")
        self.errors = errors or {}
        self.headers = headers or {}


DEFAULT_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid",
    429: "too-many-requests",
    500: "server-error",
}


def titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Not logged in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Too large"),
        415: _("Unsupported content type"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem_response(problem: Problem) -> HttpResponse:
    body = {
        "type": TYPE_BASE + problem.code,
        "title": titles().get(problem.status, _("Error")),
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=problem.status, content_type=PROBLEM_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    if problem.status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


# --- pydantic's errors, in Chinese --------------------------------------------------------------------------


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not known."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter text."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter a JSON object."),
        "model_type": _("Enter a JSON object."),
        "model_attributes_type": _("Enter a JSON object."),
        "datetime_parsing": _("Enter a date and time such as 2026-12-01T00:00:00+08:00."),
        "datetime_from_date_parsing": _("Enter a date and time such as 2026-12-01T00:00:00+08:00."),
        "datetime_type": _("Enter a date and time such as 2026-12-01T00:00:00+08:00."),
        "string_too_long": _("This text is too long."),
        "too_long": _("Too many items."),
        "greater_than_equal": _("This number is too small."),
        "less_than_equal": _("This number is too large."),
        "enum": _("Choose one of the values listed in the schema."),
        "literal_error": _("Choose one of the values listed in the schema."),
    }
    return str(messages.get(kind, _("This value is not valid.")))


def _field_of(loc) -> str:
    # ninja's locations start with where the value came from (body, query, path, form, file) and, for a
    # schema parameter, its name: the field is what follows.
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "form", "file", "payload", "filters")]
    return ".".join(parts) or "__all__"


def validation_problem(errors: list[dict]) -> Problem:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_of(error.get("loc", ())), []).append(_pydantic_message(error))
    return Problem(400, _("Some of what was sent is not valid; see the errors by field."), errors=fields)


def django_validation_problem(exc: DjangoValidationError) -> Problem:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        return Problem(400, _("Some of what was sent is not valid; see the errors by field."), errors=errors)
    return Problem(400, " ".join(str(m) for m in exc.messages))


def form_problem(form) -> Problem:
    """A Django form's errors (the public pages' own forms, reused) as a problem."""
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return Problem(400, _("Some of what was sent is not valid; see the errors by field."), errors=errors)


# --- the handlers ------------------------------------------------------------------------------------------


def install(api) -> None:
    """Make every error of ``api`` a problem."""

    @api.exception_handler(Problem)
    def on_problem(request, exc: Problem):
        return problem_response(exc)

    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc: NinjaValidationError):
        return problem_response(validation_problem(exc.errors))

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc: DjangoValidationError):
        return problem_response(django_validation_problem(exc))

    @api.exception_handler(AuthenticationError)
    def on_authentication(request, exc):
        return problem_response(Problem(401, _("Send a valid token: Authorization: Bearer <token>.")))

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, Problem):
            return problem_response(exc.__cause__)
        if exc.status_code == 400:
            return problem_response(Problem(400, _("The request body could not be read: send a JSON object.")))
        return problem_response(Problem(exc.status_code, titles().get(exc.status_code, _("Error"))))

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return problem_response(Problem(404, _("There is no such object, or it is outside your reach.")))

    @api.exception_handler(PermissionDenied)
    def on_denied(request, exc):
        return problem_response(Problem(403, _("Your account may not do this.")))

    @api.exception_handler(Exception)
    def on_anything(request, exc):
        log.exception("API error on %s %s", request.method, request.path)
        return problem_response(
            Problem(500, _("Something went wrong on the server. It has been logged; please try again later."))
        )

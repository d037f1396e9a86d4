"""The worker's identity for a mini-program: log in with a ``wx.login()`` code, then bind a mobile number with a
one-time code sent to it. Later calls carry the login's token (``Authorization: Bearer wk_…``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from api.services import workers as services
from api.services.wechat import WeChatError
from api.views.problems import Problem, django_validation_problem
from api.views.security import WorkerToken, limit
from api.views.text import zh
from unionhub.personal import MOBILE, mask
from unionhub.validators import normalize_mobile

worker = Router(tags=[zh(_("Worker: login"))])


class LoginIn(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(..., max_length=128, description=zh(_("The code from wx.login().")))


class LoginOut(Schema):
    token: str = Field(..., description=zh(_("Send as Authorization: Bearer <token>. Shown once.")))
    expires_at: dt.datetime = Field(..., description=zh(_("When the login expires.")))
    mobile_verified: bool = Field(..., description=zh(_("Whether a mobile number is bound to the login.")))


class MobileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    mobile: str = Field(..., max_length=20, description=zh(_("Mobile number")))


class VerifyIn(MobileIn):
    code: str = Field(..., max_length=10, description=zh(_("The code received by SMS.")))


class MeOut(Schema):
    mobile: str = Field("", description=zh(_("The verified mobile number, masked.")))
    mobile_verified: bool = Field(..., description=zh(_("Whether a mobile number is bound to the login.")))
    expires_at: dt.datetime = Field(..., description=zh(_("When the login expires.")))


class Sent(Schema):
    detail: str = Field(..., description=zh(_("What was done, in Chinese.")))


def _mobile(value: str) -> str:
    try:
        return normalize_mobile(value)
    except ValidationError as exc:
        raise Problem(400, " ".join(exc.messages), errors={"mobile": exc.messages}) from None


def _me(session) -> dict:
    mobile = session.verified_mobile
    return {
        "mobile": mask(mobile, MOBILE) if mobile else "",
        "mobile_verified": bool(mobile),
        "expires_at": session.expires_at,
    }


@worker.post(
    "/login/",
    response={201: LoginOut},
    summary=zh(_("Log in with WeChat")),
    description=zh(
        _(
            "Exchanges a mini-program's wx.login() code with WeChat (code2session) for a login token of this "
            "system. Limited per network."
        )
    ),
)
def login(request, payload: LoginIn):
    limit(request, group="api.login.ip", rate=settings.API_LOGIN_RATE_PER_IP)
    try:
        session, secret = services.worker_login(code=payload.code)
    except WeChatError as exc:
        raise Problem(401, str(exc), code="wechat") from None
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    return Status(
        201, {"token": secret, "expires_at": session.expires_at, "mobile_verified": bool(session.verified_mobile)}
    )


@worker.get(
    "/me/",
    response=MeOut,
    auth=WorkerToken(),
    summary=zh(_("My login")),
    description=zh(_("The login's mobile number (masked) and expiry.")),
)
def me(request):
    return _me(request.worker)


@worker.post(
    "/mobile/code/",
    response={202: Sent},
    auth=WorkerToken(),
    summary=zh(_("Send a verification code")),
    description=zh(
        _("Sends a one-time code by SMS to the mobile number, to bind it to the login. Limited per number and network.")
    ),
)
def mobile_code(request, payload: MobileIn):
    mobile = _mobile(payload.mobile)
    limit(request, group="api.mobile_code.ip", rate=settings.API_LOGIN_RATE_PER_IP)
    limit(request, group="api.mobile_code.mobile", rate=settings.API_MOBILE_CODE_RATE, value=mobile)
    services.mobile_code_send(session=request.worker, mobile=mobile)
    return Status(202, {"detail": str(_("A verification code has been sent to this mobile number."))})


@worker.post(
    "/mobile/verify/",
    response=MeOut,
    auth=WorkerToken(),
    summary=zh(_("Verify the mobile number")),
    description=zh(
        _(
            "Binds the mobile number to the login with the code sent to it; the worker's own applications and "
            "requests are then listed without references."
        )
    ),
)
def mobile_verify(request, payload: VerifyIn):
    mobile = _mobile(payload.mobile)
    try:
        session = services.mobile_verify(session=request.worker, mobile=mobile, code=payload.code)
    except ValidationError as exc:
        raise django_validation_problem(exc) from None
    return _me(session)

"""The mini-program's worker: a WeChat login gives a session token; a one-time code sent to a mobile number
(through the messages core) binds that number to the session, after which the worker's own applications and
requests are theirs to list - those made with that number."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import MobileCode, WorkerSession
from api.services.tokens import LAST_USED_RESOLUTION, TokenRefused, token_digest
from api.services.wechat import client
from unionhub.messaging.backends import Recipient
from unionhub.services.messages import message_template, send_message

WORKER_PREFIX = "wk_"
CODE_DIGITS = 6
MAX_CODE_ATTEMPTS = 5

MOBILE_CODE = message_template(
    code="api.mobile_code",
    label=gettext_lazy("mobile verification code (to the worker)"),
    subject=gettext_lazy("Your verification code"),
    text=gettext_lazy(
        "Your verification code is %(code)s, valid for %(minutes)s minutes. If you did not ask for it, ignore this."
    ),
)


def _code_digest(session: WorkerSession, mobile: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{session.pk}:{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def worker_login(*, code: str, now: dt.datetime | None = None) -> tuple[WorkerSession, str]:
    """A new session for the WeChat user whose ``wx.login()`` code this is, and its token (shown once). A
    mobile number this openid verified before, in a session still valid, carries over."""
    if not (code or "").strip() or len(code) > 128:
        raise ValidationError({"code": _("The login code is missing or malformed.")})
    openid = client().code2session(code.strip())
    now = now or timezone.now()
    earlier = (
        WorkerSession.objects.filter(openid=openid, expires_at__gt=now, mobile_verified_at__isnull=False)
        .order_by("-mobile_verified_at")
        .first()
    )
    secret = WORKER_PREFIX + secrets.token_urlsafe(32)
    session = WorkerSession.objects.create(
        openid=openid,
        digest=token_digest(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.API_WORKER_SESSION_DAYS),
        mobile=earlier.mobile if earlier else "",
        mobile_verified_at=earlier.mobile_verified_at if earlier else None,
    )
    return session, secret


def worker_authenticate(secret: str, *, now: dt.datetime | None = None) -> WorkerSession:
    now = now or timezone.now()
    if not secret.startswith(WORKER_PREFIX) or not 20 <= len(secret) <= 80:
        raise TokenRefused(_("The login token is malformed."))
    session = WorkerSession.objects.filter(digest=token_digest(secret)).first()
    if session is None:
        raise TokenRefused(_("The login token is not known. Please log in again."))
    if session.expires_at <= now:
        raise TokenRefused(_("The login has expired. Please log in again."))
    if session.last_used_at is None or now - session.last_used_at >= LAST_USED_RESOLUTION:
        WorkerSession.objects.filter(pk=session.pk).update(last_used_at=now)
    return session


@transaction.atomic
def mobile_code_send(*, session: WorkerSession, mobile: str, now: dt.datetime | None = None) -> MobileCode:
    """Send a one-time code to ``mobile`` (normalised by the caller's form) for ``session`` to bind it."""
    now = now or timezone.now()
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    minutes = settings.API_MOBILE_CODE_MINUTES
    row = MobileCode.objects.create(
        session=session,
        mobile=mobile,
        digest=_code_digest(session, mobile, code),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    send_message(template=MOBILE_CODE, params={"code": code, "minutes": minutes}, recipients=[Recipient(mobile=mobile)])
    return row


def mobile_verify(*, session: WorkerSession, mobile: str, code: str, now: dt.datetime | None = None) -> WorkerSession:
    """Bind ``mobile`` to the session with the latest code sent to it; refused when wrong, used, expired or
    tried too often."""
    now = now or timezone.now()
    row = (
        MobileCode.objects.filter(session=session, mobile=mobile, used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    refused = ValidationError({"code": _("The verification code is wrong or has expired. Ask for a new one.")})
    if row is None or row.expires_at <= now or row.attempts >= MAX_CODE_ATTEMPTS:
        raise refused
    if not hmac.compare_digest(row.digest, _code_digest(session, mobile, (code or "").strip())):
        # A wrong guess counts (an UPDATE of its own, outside any transaction here): five guesses, then a new code.
        MobileCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
        raise refused
    with transaction.atomic():
        # Used once: the conditional UPDATE claims the code, so two calls with it bind once.
        if not MobileCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
            raise refused
        session.mobile = mobile
        session.mobile_verified_at = now
        session.save(update_fields=["mobile", "mobile_verified_at"])
    return session

"""Staff API tokens: made with a random secret shown once, kept as its SHA-256 digest, checked on every call."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from api.models.tokens import TOKEN_PREFIX

# The last use is written at most this often per token: not one UPDATE per call of a nightly pull.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """A token that is malformed, unknown, expired or revoked; ``str()`` is the reason, in Chinese."""


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_check(*, user, name: str, expires_at: dt.datetime | None) -> None:
    """The rules of a new token (the admin's form calls this in ``clean``): ValidationError by field."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Say what the token is for.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if user is not None and (not user.is_active or not user.is_staff):
        errors["user"] = _("Only an active staff account can have an API token.")
    if errors:
        raise ValidationError(errors)


def token_default_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS)


@transaction.atomic
def token_create(*, user, name: str, expires_at: dt.datetime | None = None, by=None) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret - the only time the secret exists outside the caller."""
    token_check(user=user, name=name, expires_at=expires_at)
    now = timezone.now()
    expires_at = expires_at or token_default_expiry()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[:10],
        digest=token_digest(secret),
        expires_at=expires_at,
        created_by=by,
        created_at=now,
    )
    return token, secret


def token_revoke(*, token: ApiToken, now: dt.datetime | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(secret: str, *, now: dt.datetime | None = None) -> ApiToken:
    """The active token with this secret (its user loaded), its last use noted; ``TokenRefused`` otherwise."""
    now = now or timezone.now()
    if not secret.startswith(TOKEN_PREFIX) or not 20 <= len(secret) <= 80:
        raise TokenRefused(_("The API token is malformed."))
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
    if token is None:
        raise TokenRefused(_("The API token is not known."))
    if token.revoked_at is not None:
        raise TokenRefused(_("The API token has been revoked."))
    if token.expires_at <= now:
        raise TokenRefused(_("The API token has expired."))
    if not token.user.is_active:
        raise TokenRefused(_("The API token's account is disabled."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

"""A worker's mini-program session: made by a WeChat login (``code2session``'s openid), holding a token whose
digest only is kept, and - once the worker proved it with a one-time code - the worker's mobile number.

Nobody on staff reads these (no region, no station): scoped to nothing, they are visible to superusers only."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.scoping import scoped


@scoped()
class WorkerSession(models.Model):
    openid = models.CharField(_("WeChat openid"), max_length=64, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    mobile_verified_at = models.DateTimeField(_("mobile verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker session")
        verbose_name_plural = _("worker sessions")

    def __str__(self) -> str:
        return f"{self.openid[:6]}…"

    @property
    def verified_mobile(self) -> str:
        return self.mobile if self.mobile_verified_at else ""


@scoped()
class MobileCode(models.Model):
    """A one-time code sent to a mobile number to bind it to a session (its digest only)."""

    session = models.ForeignKey(WorkerSession, on_delete=models.CASCADE, related_name="codes")
    mobile = models.CharField(max_length=20)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mobile verification code")
        verbose_name_plural = _("mobile verification codes")

    def __str__(self) -> str:
        return f"{self.session_id}:{self.created_at:%Y-%m-%d %H:%M}"

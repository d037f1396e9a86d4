"""Events (film nights, training, free clinics, 送清凉, job fairs), their phone sign-ups and door check-ins."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.choices import ScanResult
from stations.models import Activity, ActivityKind, Station
from unionhub.models.regions import Region
from unionhub.scoping import scoped

# Unambiguous characters only (no 0/O, 1/I/L): a code typed by hand at the door is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_event_code() -> str:
    return new_code(6)


@scoped(region="region__code", station="station")
class Event(models.Model):
    """An event at a station or elsewhere. Its attendance goes into the station's activity log (``activity``)
    when it is held at a station."""

    title = models.CharField(_("title"), max_length=100)
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_events",
        verbose_name=_("station"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("town or county"),
        help_text=_("Left empty for an event at a station: the station's town."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"), default=0, help_text=_("0: no limit."))
    code = models.CharField(_("code"), max_length=8, unique=True, default=new_event_code, editable=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    suggestions = models.PositiveIntegerField(_("suggestions collected"), default=0)
    project = models.ForeignKey(
        "outreach.ServiceProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("service project"),
    )
    activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_event",
        editable=False,
        verbose_name=_("station activity log entry"),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at", "id"], name="event_time_order")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.station_id and not self.region_id:
            self.region_id = self.station.region_id
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})


@scoped(region="event__region__code", station="event__station")
class SignUp(models.Model):
    """A person signed up from a phone (a member or not): the ticket code their QR carries, and whether they
    came."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=11)
    is_member = models.BooleanField(_("union member"), default=False)
    consented_at = models.DateTimeField(_("consent given"), default=timezone.now)
    code = models.CharField(_("ticket code"), max_length=8, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["event", "created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "mobile"], name="signup_one_per_mobile")]

    def __str__(self) -> str:
        return f"{self.event} {self.name}"


@scoped(region="event__region__code", station="event__station")
class CheckIn(models.Model):
    """One scan at the door, keyed by the id the scanning phone gave it: a scan sent twice (an offline queue
    replayed) is the same row, so nothing is counted twice."""

    scan_id = models.CharField(_("scan id"), max_length=64, unique=True)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("event"))
    signup = models.ForeignKey(
        SignUp, on_delete=models.CASCADE, null=True, blank=True, related_name="checkins", verbose_name=_("sign-up")
    )
    code = models.CharField(_("code scanned"), max_length=64)
    result = models.CharField(_("result"), max_length=10, choices=ScanResult.choices)
    message = models.CharField(_("message"), max_length=200, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )

    class Meta:
        verbose_name = _("check-in scan")
        verbose_name_plural = _("check-in scans")
        ordering = ["-scanned_at"]

    def __str__(self) -> str:
        return f"{self.code} {self.get_result_display()}"

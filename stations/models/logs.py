"""What happens at a station: activities, daily visitor counts, and rectification notices (整改)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stations.models.catalogue import ActivityKind
from stations.models.station import Station
from unionhub.scoping import scoped


def _not_in_future(value: dt.date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."))


@scoped(region="station__region__code", station="station")
class Activity(models.Model):
    """An activity a station held: 送清凉 drinks in summer, a free clinic, a film night, …"""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="activities", verbose_name=_("station"))
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    date = models.DateField(_("date"), validators=[_not_in_future])
    title = models.CharField(_("title"), max_length=100)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    suggestions = models.PositiveIntegerField(_("suggestions collected"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["station", "date"], name="activity_station_date"),
            models.Index(fields=["date", "id"], name="activity_date_order"),  # the admin's list, newest first
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


def activity_photo_path(instance, filename: str) -> str:
    # A random name: what the phone called the file says nothing useful and may say something private.
    return f"stations/activity-photos/{uuid.uuid4().hex}.jpg"


@scoped(region="activity__station__region__code", station="activity__station")
class ActivityPhoto(models.Model):
    """A photo of an activity, taken by the station manager: checked by content, resized and re-encoded as a
    JPEG without EXIF on upload (``stations.services.photos``), so only the picture is kept."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity"))
    file = models.FileField(_("photo"), upload_to=activity_photo_path)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return f"{self.activity} #{self.pk}"


@scoped(region="station__region__code", station="station")
class VisitorCount(models.Model):
    """How many people used a station on one day."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="visitor_counts", verbose_name=_("station")
    )
    date = models.DateField(_("date"), validators=[_not_in_future])
    visitors = models.PositiveIntegerField(_("visitors"), validators=[MinValueValidator(0)])
    night_visitors = models.PositiveIntegerField(
        _("visitors 22:00-06:00"), default=0, help_text=_("Evidence for a 24-hour claim.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visitor count")
        verbose_name_plural = _("visitor counts")
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="visitorcount_one_per_day")]
        indexes = [models.Index(fields=["date", "id"], name="visitorcount_date_order")]

    def __str__(self) -> str:
        return f"{self.date} {self.visitors}"

    def clean(self) -> None:
        if self.visitors is not None and self.night_visitors and self.night_visitors > self.visitors:
            raise ValidationError({"night_visitors": _("Night visitors cannot exceed the day's visitors.")})


@scoped(region="station__region__code", station="station")
class Rectification(models.Model):
    """A rectification notice (整改): what is wrong and by when it must be put right, closed with the outcome."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="rectifications", verbose_name=_("station")
    )
    issued_on = models.DateField(_("issued on"), default=dt.date.today)
    findings = models.TextField(_("findings"))
    deadline = models.DateField(_("deadline"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["closed_on", "deadline"]
        indexes = [models.Index(fields=["closed_on", "deadline"], name="rectification_open_deadline")]

    def __str__(self) -> str:
        return f"{self.station} {self.issued_on}"

    def clean(self) -> None:
        errors = {}
        if self.deadline and self.issued_on and self.deadline < self.issued_on:
            errors["deadline"] = _("The deadline cannot be before the notice was issued.")
        if self.closed_on and not self.outcome.strip():
            errors["outcome"] = _("Record the outcome when closing the notice.")
        if self.closed_on and self.issued_on and self.closed_on < self.issued_on:
            errors["closed_on"] = _("A notice cannot be closed before it was issued.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return self.closed_on is None and self.deadline < timezone.localdate()

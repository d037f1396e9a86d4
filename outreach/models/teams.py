"""Outreach teams (建会小分队) and their visits to employers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.choices import VisitOutcome
from outreach.models.employers import Employer
from unionhub.models.regions import Region, RegionLevel
from unionhub.scoping import scoped


@scoped(region="county__code")
class OutreachTeam(models.Model):
    """A union-building team: its members and the towns or parks it works in."""

    name = models.CharField(_("name"), max_length=60)
    county = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
        limit_choices_to={"level": RegionLevel.COUNTY},
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="outreach_teams", verbose_name=_("members")
    )
    towns = models.ManyToManyField(
        Region,
        blank=True,
        related_name="+",
        verbose_name=_("assigned towns or parks"),
        limit_choices_to={"level": RegionLevel.TOWN},
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outreach team")
        verbose_name_plural = _("outreach teams")
        ordering = ["county_id", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="outreachteam_unique_name")]

    def __str__(self) -> str:
        return self.name


@scoped(region="employer__town__code")
class Visit(models.Model):
    """One visit by a team to an employer: who went, whom they met, what was said, the next step."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="visits", verbose_name=_("employer"))
    team = models.ForeignKey(
        OutreachTeam, on_delete=models.PROTECT, related_name="visits", verbose_name=_("outreach team")
    )
    visited_on = models.DateField(_("date"))
    visitors = models.CharField(_("who went"), max_length=100)
    met = models.CharField(_("whom they met"), max_length=100)
    said = models.TextField(_("what was said"))
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=VisitOutcome.choices, default=VisitOutcome.VISITED)
    project = models.ForeignKey(
        "outreach.ServiceProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("service project"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["employer", "visited_on"], name="visit_employer_date")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.employer}"


def visit_photo_path(instance, filename: str) -> str:
    return f"outreach/visit-photos/{uuid.uuid4().hex}.jpg"


@scoped(region="visit__employer__town__code")
class VisitPhoto(models.Model):
    """A photo of a visit, checked and re-encoded by the stations' photo check (no EXIF kept)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit"))
    file = models.FileField(_("photo"), upload_to=visit_photo_path)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return f"{self.visit} #{self.pk}"

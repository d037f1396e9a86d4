"""Subsidies by star level (建设补贴 / 运维补贴): a policy per region and year, a run per period computed by a
Celery job, and one allocation per station, period and subsidy type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stations.choices import StationKind
from stations.models.ratings import MAX_STARS
from stations.models.station import Station
from unionhub.models.regions import Region
from unionhub.scoping import scoped

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class SubsidyType(models.TextChoices):
    CONSTRUCTION = "construction", _("construction subsidy")
    OPERATING = "operating", _("operating subsidy")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("queued")
    COMPUTING = "computing", _("computing")
    PROPOSED = "proposed", _("proposed")
    FAILED = "failed", _("failed")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")


PERIOD_CHOICES = [(1, _("monthly")), (3, _("quarterly")), (6, _("half-yearly")), (12, _("yearly"))]


@scoped(region="region__code")
class SubsidyPolicy(models.Model):
    """What a region pays, over a span of whole months: a construction subsidy once, on a station's first
    qualifying star level, and an operating subsidy per period, both by station kind and star level
    (``rates``). Adjustments: a station that in a period holds fewer activities than ``min_activities`` *and*
    fewer visitors than ``min_visitors`` gets ``shortfall_percent`` of it; days under an open rectification
    notice are deducted when ``suspend_while_rectifying``; part periods are paid pro rata; nothing from the day
    a station is delisted. ``budget_cap`` caps each county's total per period, scaling every amount in
    proportion. Policies of one region may not overlap."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"), help_text=_("The first day of a month."))
    ends_on = models.DateField(_("ends on"), help_text=_("The last day of a month."))
    period_months = models.PositiveSmallIntegerField(_("operating subsidy period"), choices=PERIOD_CHOICES, default=12)
    min_activities = models.PositiveIntegerField(_("minimum activities per period"), default=0)
    min_visitors = models.PositiveIntegerField(_("minimum visitors per period"), default=0)
    shortfall_percent = models.PositiveSmallIntegerField(
        _("share paid below both minimums (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    suspend_while_rectifying = models.BooleanField(_("suspended while rectifying"), default=True)
    budget_cap = models.DecimalField(_("budget cap per county and period (yuan)"), null=True, blank=True, **MONEY)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["region_id", "-starts_on"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.starts_on.day != 1:
            errors["starts_on"] = _("A policy starts on the first day of a month.")
        if self.ends_on and (self.ends_on + dt.timedelta(days=1)).day != 1:
            errors["ends_on"] = _("A policy ends on the last day of a month.")
        if self.starts_on and self.ends_on and not errors:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = _("The policy ends before it starts.")
            else:
                months = (self.ends_on.year - self.starts_on.year) * 12 + self.ends_on.month - self.starts_on.month + 1
                if months % (self.period_months or 1):
                    errors["period_months"] = _(
                        "The policy's %(months)s months do not divide into whole periods of %(period)s months."
                    ) % {"months": months, "period": self.period_months}
        if self.starts_on and self.ends_on and self.region_id and not errors:
            overlapping = SubsidyPolicy.objects.filter(
                region_id=self.region_id, starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
            ).exclude(pk=self.pk)
            other = overlapping.first()
            if other:
                errors["starts_on"] = _(
                    "This policy overlaps “%(other)s” (%(start)s to %(end)s) for the same region."
                ) % {"other": other.name, "start": other.starts_on, "end": other.ends_on}
        if errors:
            raise ValidationError(errors)

    def periods(self) -> list[tuple[dt.date, dt.date]]:
        """The operating-subsidy periods, first to last day."""
        result, start = [], self.starts_on
        while start <= self.ends_on:
            end = start + relativedelta(months=self.period_months) - dt.timedelta(days=1)
            result.append((start, end))
            start = end + dt.timedelta(days=1)
        return result


@scoped(region="policy__region__code")
class SubsidyRate(models.Model):
    """The amounts for one station kind and star level under a policy, in yuan."""

    policy = models.ForeignKey(SubsidyPolicy, on_delete=models.CASCADE, related_name="rates")
    kind = models.CharField(_("station kind"), max_length=10, choices=StationKind.choices)
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(MAX_STARS)]
    )
    construction = models.DecimalField(_("construction subsidy (once)"), default=Decimal("0"), **MONEY)
    operating = models.DecimalField(_("operating subsidy per period"), default=Decimal("0"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy rate")
        verbose_name_plural = _("subsidy rates")
        ordering = ["policy", "kind", "stars"]
        constraints = [models.UniqueConstraint(fields=["policy", "kind", "stars"], name="subsidyrate_one_per_level")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.stars}★"


@scoped(region="region__code")
class SubsidyRun(models.Model):
    """The computation of every station's subsidies in a region for one policy period. Computed (and
    recomputed) as a job (``job`` is the latest), which replaces only this run's proposed allocations;
    approval locks it. The job holds the progress and any error."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    policy = models.ForeignKey(
        SubsidyPolicy, on_delete=models.PROTECT, related_name="runs", verbose_name=_("policy"), editable=False
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING, editable=False
    )
    job = models.ForeignKey(
        "unionhub.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("job"),
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True, editable=False)
    total = models.DecimalField(
        _("total (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0"), editable=False
    )
    allocation_count = models.PositiveIntegerField(_("allocations"), default=0, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy run")
        verbose_name_plural = _("subsidy runs")
        ordering = ["-period_start", "region_id"]
        permissions = [("approve_subsidyrun", _("Can approve subsidy runs"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "period_start", "period_end"], name="subsidyrun_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.period_start:%Y-%m-%d}~{self.period_end:%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.status in (RunStatus.APPROVED, RunStatus.PAID)

    @property
    def error(self) -> str:
        """Why the latest computation failed (from its job)."""
        return self.job.error if self.job_id and self.status == RunStatus.FAILED else ""


@scoped(region="station__region__code", station="station", county="county")
class SubsidyAllocation(models.Model):
    """What one station gets for one period and subsidy type, with a readable breakdown of why. Written in
    bulk by the run (so it keeps no history of its own: the run's history records approval and payment).
    At most one per station, period and type, and one construction subsidy per station ever."""

    run = models.ForeignKey(SubsidyRun, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("run"))
    # On PostgreSQL the two-column key (station, county) -> the station's (id, county) checks the station and
    # keeps ``county`` equal to the station's (migration 0009); hence no one-column constraint here.
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        related_name="subsidy_allocations",
        verbose_name=_("station"),
        db_constraint=False,
    )
    # The station's county, which scoping reads instead of joining the station (see unionhub.scoping):
    # county staff's list, newest first, is read from the (county, id) index.
    county = models.CharField(_("county code"), max_length=6, editable=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    subsidy_type = models.CharField(_("subsidy"), max_length=12, choices=SubsidyType.choices)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    breakdown = models.TextField(_("how it was computed"))
    status = models.CharField(
        _("status"), max_length=10, choices=AllocationStatus.choices, default=AllocationStatus.PROPOSED
    )

    class Meta:
        verbose_name = _("subsidy allocation")
        verbose_name_plural = _("subsidy allocations")
        ordering = ["run", "station_id", "subsidy_type"]
        indexes = [models.Index(fields=["county", "id"], name="allocation_county_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "period_start", "subsidy_type"], name="allocation_one_per_station_period_type"
            ),
            models.UniqueConstraint(
                fields=["station"],
                condition=Q(subsidy_type="construction"),
                name="allocation_one_construction_per_station",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.get_subsidy_type_display()} ¥{self.amount}"

    def save(self, *args, **kwargs) -> None:
        # A run writes its allocations in bulk and names the county there (services.subsidy_compute).
        self.county = self.station.region_id[:6] if self.station_id else ""
        super().save(*args, **kwargs)

"""The station registry: every kind of station a county union builds and runs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stations.choices import (
    MINIMUM_AREA,
    WEEKDAYS,
    FundingSource,
    LiuYou,
    OperatingModel,
    StationKind,
    StationStatus,
    TeamKind,
)
from stations.models.catalogue import Facility, Service
from unionhub.models.regions import Region, RegionLevel, UnionOrganization
from unionhub.scoping import scoped
from unionhub.validators import halfwidth

# Mainland China, generously: coordinates outside this box are a typing error, not a station.
CHINA_LAT = (Decimal("3.8"), Decimal("53.6"))
CHINA_LNG = (Decimal("73.4"), Decimal("135.1"))


@scoped(region="region__code", station="")
class Station(models.Model):
    """A service station: labour-relations service station, union rest station, workshop rest stop, …

    Coordinates are WGS-84 (what a phone's GPS gives); the finder converts to GCJ-02 or BD-09 for Chinese
    maps. ``is_complete``/``missing_items`` are kept up to date by ``stations.services.station_refresh`` after
    every save (they depend on the facilities, which are saved after the station itself)."""

    code = models.CharField(
        _("station code"),
        max_length=30,
        unique=True,
        help_text=_("Stable identifier, e.g. 140521104-R-001. Left empty, one is assigned."),
        blank=True,
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=StationKind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="stations",
        verbose_name=_("town or subdistrict"),
        limit_choices_to={"level": RegionLevel.TOWN},
    )
    host = models.ForeignKey(
        UnionOrganization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name=_("host organisation"),
        help_text=_("For a workshop rest stop, the enterprise's union."),
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    open_24h = models.BooleanField(_("open 24 hours"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    facilities = models.ManyToManyField(Facility, blank=True, related_name="stations", verbose_name=_("facilities"))
    services = models.ManyToManyField(Service, blank=True, related_name="stations", verbose_name=_("services"))
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_stations", verbose_name=_("station managers")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=StationStatus.choices, default=StationStatus.PLANNED, editable=False
    )
    status_since = models.DateField(_("status since"), default=dt.date.today, editable=False)
    plaque_number = models.CharField(_("plaque number"), max_length=30, blank=True)
    plaque_date = models.DateField(_("plaque awarded on"), null=True, blank=True)
    operating_model = models.CharField(
        _("operating model"), max_length=12, choices=OperatingModel.choices, default=OperatingModel.SELF_RUN
    )
    liuyou = models.JSONField(
        _("六有 checklist"), default=list, blank=True, help_text=_("For labour-relations service stations.")
    )
    description = models.TextField(_("description"), blank=True)
    # Where the county's subsidy is paid (the payment list a finance office uploads to its bank). The account is
    # a personal number (unionhub.personal): masked wherever it is shown, entered through a write-only input.
    payee_name = models.CharField(
        _("payee (account name)"),
        max_length=100,
        blank=True,
        help_text=_("The operator or host organisation as the bank holds the account; empty: the host organisation."),
    )
    payee_bank = models.CharField(_("bank of the account"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account number"), max_length=40, blank=True)
    is_complete = models.BooleanField(_("meets the standard"), default=False, editable=False)
    missing_items = models.CharField(_("missing"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The county part of the region code, kept by the database: what a subsidy allocation's two-column foreign
    # key points at (stations migration 0009), as a member's points at its union's (unionhub.scoping, county).
    county = models.GeneratedField(
        expression=Left("region", 6), output_field=models.CharField(max_length=6), db_persist=True
    )
    history = HistoricalRecords(excluded_fields=["is_complete", "missing_items", "county"])

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["region_id", "code"]
        indexes = [
            models.Index(fields=["status", "kind"], name="station_status_kind"),
            # A region's stations counted by status without reading their (wide) rows: the workbench's and the
            # dashboard's counts over a city's or a province's stations are index-only scans of this.
            models.Index(fields=["region", "status", "id"], name="station_region_status"),
            # The finder's box around a phone (selectors.registry.nearest_slice): operating stations only.
            models.Index(
                fields=["latitude", "longitude"], name="station_position", condition=models.Q(status="operating")
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["id", "county"], name="station_id_county")]

    def __str__(self) -> str:
        return self.name

    @property
    def payee(self) -> str:
        """Who the subsidy is paid to: the payee entered, else the host organisation."""
        return self.payee_name or (self.host.name if self.host_id else "")

    def clean(self) -> None:
        errors = {}
        if self.region_id and len(self.region_id) != 9:
            errors["region"] = _("A station sits in a town or subdistrict (a 9-digit division code).")
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("Give both latitude and longitude, or neither.")
        elif self.latitude is not None and not (
            CHINA_LAT[0] <= self.latitude <= CHINA_LAT[1] and CHINA_LNG[0] <= self.longitude <= CHINA_LNG[1]
        ):
            errors["latitude"] = _(
                "These coordinates are outside China. Latitude comes first (about 35.7 here), then longitude "
                "(about 112.2)."
            )
        if self.bank_account:
            self.bank_account = re.sub(r"[\s\-]+", "", halfwidth(self.bank_account))
            if not re.fullmatch(r"\d{8,30}", self.bank_account):
                errors["bank_account"] = _("A bank account number is 8 to 30 digits (spaces may be left in).")
            if not self.payee_bank.strip():
                errors["payee_bank"] = _("Name the bank the account is held at.")
        minimum = MINIMUM_AREA.get(self.kind)
        if minimum and (self.area_m2 is None or self.area_m2 < minimum):
            errors["area_m2"] = _("A %(kind)s needs an independent space of at least %(minimum)s m².") % {
                "kind": self.get_kind_display(),
                "minimum": minimum,
            }
        if self.kind == StationKind.WORKSHOP and not self.host_id:
            errors["host"] = _("A workshop rest stop is inside an enterprise: choose the enterprise's union.")
        unknown = set(self.liuyou or []) - set(LiuYou.values)
        if unknown:
            errors["liuyou"] = _("Unknown 六有 items: %(items)s") % {"items": ", ".join(sorted(unknown))}
        if self.plaque_number and not self.plaque_date:
            errors["plaque_date"] = _("Give the date the plaque was awarded.")
        if errors:
            raise ValidationError(errors)

    @property
    def coordinates(self) -> tuple[float, float] | None:
        if self.latitude is None:
            return None
        return float(self.latitude), float(self.longitude)


@scoped(region="station__region__code", station="station")
class StatusChange(models.Model):
    """One step in a station's lifecycle, dated and with a reason (planned → … → delisted)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=StationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=StationStatus.choices)
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["station", "-date", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.station} {self.get_from_status_display()} → {self.get_to_status_display()}"


@scoped(region="station__region__code", station="station")
class OpeningHours(models.Model):
    """One opening period on one weekday. A period ending at 00:00 runs to midnight; an overnight opening is
    two periods, one on each day."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight."))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["station", "weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    @property
    def ends_at_midnight(self) -> bool:
        return self.closes == dt.time(0, 0)

    def clean(self) -> None:
        given = self.opens is not None and self.closes is not None
        if given and not self.ends_at_midnight and self.closes <= self.opens:
            raise ValidationError(
                {
                    "closes": _(
                        "The closing time must be after the opening time. For an overnight opening, enter "
                        "two periods: until 00:00, and from 00:00 on the next day."
                    )
                }
            )

    def contains(self, moment: dt.time) -> bool:
        return self.opens <= moment and (self.ends_at_midnight or moment < self.closes)


@scoped(region="station__region__code", station="station")
class ServiceTeam(models.Model):
    """A service team of a labour-relations station (mediation, legal awareness, …) and its members."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="teams")
    kind = models.CharField(_("team"), max_length=12, choices=TeamKind.choices)
    leader = models.CharField(_("leader"), max_length=50)
    members = models.TextField(_("members"), help_text=_("One person a line: name and position."), blank=True)

    class Meta:
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")
        constraints = [models.UniqueConstraint(fields=["station", "kind"], name="serviceteam_one_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def member_count(self) -> int:
        return len([line for line in self.members.splitlines() if line.strip()])


@scoped(region="station__region__code", station="station")
class Funding(models.Model):
    """Money put into a station by one source in one year, in yuan."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("source"), max_length=12, choices=FundingSource.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.UniqueConstraint(fields=["station", "source", "year"], name="funding_one_per_source_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()} ¥{self.amount}"

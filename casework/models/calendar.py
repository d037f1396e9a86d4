"""The working-day clock's data: holiday and make-up-day overrides, and time limits per category."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.choices import RequestCategory
from unionhub.models import Region, RegionLevel
from unionhub.scoping import scoped

# Calendars are loaded nationally (no region), by a province or a city for everyone below it, or by a county.
CALENDAR_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)
CALENDAR_CODE_LENGTHS = (2, 4, 6)


@scoped(region="region__code", shared=True)
class CalendarOverride(models.Model):
    """One day whose status differs from what ``chinese_calendar`` says (or what it does not know yet).

    The State Council publishes next year's holidays each November; ``chinese_calendar`` learns them with its
    next release. Until then the province or city (or, with no region, the whole system) loads the new year's
    holidays and make-up working days (调休上班) here for everyone below it, and a county adds its own local
    days. The most local row wins for the same day: county over city over province over national."""

    date = models.DateField(_("date"))
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: a make-up working day. Not ticked: a public holiday.")
    )
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. National Day"))
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        limit_choices_to={"level__in": CALENDAR_LEVELS},
        help_text=_("Empty: applies everywhere. A province or city: every county below it."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "region"], name="calendaroverride_one_per_day_region"),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(region__isnull=True), name="calendaroverride_one_national_per_day"
            ),
        ]

    def __str__(self) -> str:
        kind = _("working day") if self.is_workday else _("holiday")
        return f"{self.date:%Y-%m-%d} {self.name or kind}"

    def clean(self) -> None:
        if self.region_id and len(self.region_id) not in CALENDAR_CODE_LENGTHS:
            raise ValidationError({"region": _("Choose a province, a city or a county.")})


@scoped(region="region__code", shared=True)
class CalendarYear(models.Model):
    """A year whose whole calendar (holidays and make-up working days) was loaded for a region and everything
    below it (no region: the whole country), so the working-day clock knows that year there.

    Written by the calendar import of a province, a city or the whole country (a county's own local days do
    not make a year known: they come on top of the national calendar). ``recalculated`` is how many open
    requests' provisional due dates the load recalculated."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty: applies everywhere. A province or city: every county below it."),
    )
    loaded_at = models.DateTimeField(_("loaded"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    days = models.PositiveSmallIntegerField(_("days in the file"), default=0)
    recalculated = models.PositiveIntegerField(_("provisional due dates recalculated"), default=0)

    class Meta:
        verbose_name = _("loaded calendar year")
        verbose_name_plural = _("loaded calendar years")
        ordering = ["-year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="calendaryear_one_per_year_region"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(region__isnull=True), name="calendaryear_one_national_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region or _('national')}"


@scoped(region="region__code", shared=True)
class TimeLimit(models.Model):
    """How many working days a union has to accept and to resolve a request of one category.

    Rows without a region are the defaults for every county; a county's own row for a category overrides
    them. With no row at all, settings supply ``CASEWORK_ACKNOWLEDGE_DAYS`` and ``CASEWORK_RESOLVE_DAYS`` (1 and
    7 working days)."""

    category = models.CharField(_("category"), max_length=12, choices=RequestCategory.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
        limit_choices_to={"level": RegionLevel.COUNTY},
        help_text=_("Empty: the default for every county."),
    )
    acknowledge_days = models.PositiveSmallIntegerField(
        _("accept within (working days)"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    resolve_days = models.PositiveSmallIntegerField(
        _("resolve within (working days)"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["region_id", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="timelimit_one_per_category_region"),
            models.UniqueConstraint(
                fields=["category"], condition=models.Q(region__isnull=True), name="timelimit_one_default_per_category"
            ),
            models.CheckConstraint(
                condition=models.Q(resolve_days__gte=models.F("acknowledge_days")),
                name="timelimit_resolve_not_before_accept",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.acknowledge_days} / {self.resolve_days}"

    def clean(self) -> None:
        if self.region_id and len(self.region_id) != 6:
            raise ValidationError({"region": _("Choose a county (a 6-digit division code).")})
        if self.acknowledge_days and self.resolve_days and self.resolve_days < self.acknowledge_days:
            raise ValidationError(
                {"resolve_days": _("The resolution limit cannot be shorter than the acceptance limit.")}
            )

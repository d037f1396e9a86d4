"""Vacancies posted at a station, and the 监督核查 check each one passes before it is published."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.choices import PayBasis, VacancyStatus
from membership.choices import Occupation
from outreach.models import Employer
from stations.models import Station
from unionhub.models.regions import Region, RegionLevel
from unionhub.scoping import scoped
from unionhub.validators import validate_credit_code


class VacancyQuerySet(models.QuerySet):
    def current(self, today=None):
        """Published, not past its date, not filled: what workers see. Asked at read time, so a vacancy
        leaves the public lists the day it expires or its last post is filled, with no job to run."""
        today = today or timezone.localdate()
        return self.filter(status=VacancyStatus.PUBLISHED, valid_until__gte=today, filled_posts__lt=F("posts"))


@scoped(region="station__region__code", station="station")
class Vacancy(models.Model):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("station"))
    # The employer from outreach's register where it is there (chosen, or found by the credit code in the
    # station's county); name and code are kept on the vacancy either way, typed when it is not in the register.
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies",
        verbose_name=_("employer from the register"),
        help_text=_("Leave empty and type the name and credit code for an employer not in the register."),
    )
    employer_name = models.CharField(_("hiring employer"), max_length=100, blank=True)
    employer_credit_code = models.CharField(
        _("employer's unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    title = models.CharField(_("job title"), max_length=60)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    posts = models.PositiveIntegerField(_("posts"), validators=[MinValueValidator(1)])
    filled_posts = models.PositiveIntegerField(_("posts filled"), default=0, editable=False)
    pay_basis = models.CharField(_("pay basis"), max_length=10, choices=PayBasis.choices, default=PayBasis.MONTHLY)
    pay_min = models.DecimalField(_("pay from (yuan)"), max_digits=9, decimal_places=2)
    pay_max = models.DecimalField(_("pay up to (yuan)"), max_digits=9, decimal_places=2)
    monthly_estimate = models.DecimalField(
        _("usual monthly earnings (yuan)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Required for pay per piece or per order: what a full-time worker usually earns in a month."),
    )
    # The comparable monthly figure (pay_max, or the estimate for piece and order pay), kept by the service.
    monthly_high = models.DecimalField(max_digits=9, decimal_places=2, default=0, editable=False)
    daily_hours = models.PositiveSmallIntegerField(
        _("hours a day"), validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    town = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("town where the work is"),
        limit_choices_to={"level": RegionLevel.TOWN},
    )
    latitude = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Matching's copies as floats, kept by the database (as on JobWish): no numeric cast per ranked row.
    match_latitude = models.GeneratedField(
        expression=Cast("latitude", models.FloatField()), output_field=models.FloatField(), db_persist=True
    )
    match_longitude = models.GeneratedField(
        expression=Cast("longitude", models.FloatField()), output_field=models.FloatField(), db_persist=True
    )
    match_pay = models.GeneratedField(
        expression=Cast("monthly_high", models.FloatField()), output_field=models.FloatField(), db_persist=True
    )
    requirements = models.TextField(_("requirements"), blank=True)
    contact = models.CharField(_("contact"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["station", "status", "valid_until"], name="vacancy_station_current"),
            # Matching a wish: the published vacancies of one occupation in force, covering what the ranking and
            # the "not filled" test read (an index-only scan).
            models.Index(
                fields=["occupation", "valid_until"],
                include=[
                    "match_latitude",
                    "match_longitude",
                    "match_pay",
                    "daily_hours",
                    "posts",
                    "filled_posts",
                    "id",
                ],
                name="vacancy_match",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} · {self.title}"

    @property
    def open_posts(self) -> int:
        return max(self.posts - self.filled_posts, 0)


@scoped(region="vacancy__station__region__code", station="vacancy__station")
class VacancyCheck(models.Model):
    """One 监督核查 of a vacancy: what was checked, by whom and when, and why it was refused."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="checks", verbose_name=_("vacancy"))
    passed = models.BooleanField(_("passed"))
    minimum_wage = models.DecimalField(
        _("local minimum wage (yuan a month)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    good_standing = models.BooleanField(_("employer in good standing"))
    reasons = models.TextField(_("reasons"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("checked by")
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("vacancy check")
        verbose_name_plural = _("vacancy checks")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.vacancy} {self.checked_at:%Y-%m-%d}"


@scoped(region="region__code")
class MinimumWage(models.Model):
    """The local minimum wage of a county (or of a city or province for all counties below it), from a date."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    monthly = models.DecimalField(_("monthly minimum wage (yuan)"), max_digits=9, decimal_places=2)
    valid_from = models.DateField(_("in force from"))

    class Meta:
        verbose_name = _("local minimum wage")
        verbose_name_plural = _("local minimum wages")
        ordering = ["region", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["region", "valid_from"], name="minimum_wage_once")]

    def __str__(self) -> str:
        return f"{self.region} {self.monthly} ({self.valid_from})"

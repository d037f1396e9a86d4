"""Workers' job wishes (求职意向) and the referrals that connect them to vacancies."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.choices import Outcome, WishSource, WishStatus
from employment.models.vacancies import Vacancy
from membership.choices import Occupation
from stations.models import Station
from unionhub.models.regions import Region, RegionLevel
from unionhub.scoping import scoped


class WishQuerySet(models.QuerySet):
    def waiting(self, today=None):
        """Open and not expired: the wishes matching reads. Expiry is asked at read time."""
        return self.filter(status=WishStatus.OPEN, valid_until__gte=today or timezone.localdate())


@scoped(region="station__region__code", station="station")
class JobWish(models.Model):
    """What a worker looks for. The position is the station's where it was filed (or the town's chosen),
    copied onto the row so matching reads one table."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="job_wishes", verbose_name=_("station"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    occupation = models.CharField(_("occupation wanted"), max_length=20, choices=Occupation.choices)
    area = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area wanted (town)"),
        limit_choices_to={"level": RegionLevel.TOWN},
    )
    pay_expected = models.DecimalField(_("pay expected (yuan a month)"), max_digits=9, decimal_places=2)
    max_daily_hours = models.PositiveSmallIntegerField(
        _("hours a day at most"), validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    skills = models.CharField(_("skills and certificates"), max_length=200, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11)
    consent = models.BooleanField(_("consent to share with employers"), default=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True, editable=False)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True, editable=False)
    # Matching's copies as floats, kept by the database: ranking reads them from the covering index with no
    # numeric cast per row (PostgreSQL casts numeric to float through text, the largest cost of a ranking).
    match_latitude = models.GeneratedField(
        expression=Cast("latitude", models.FloatField()), output_field=models.FloatField(), db_persist=True
    )
    match_longitude = models.GeneratedField(
        expression=Cast("longitude", models.FloatField()), output_field=models.FloatField(), db_persist=True
    )
    match_pay = models.GeneratedField(
        expression=Cast("pay_expected", models.FloatField()), output_field=models.FloatField(), db_persist=True
    )
    source = models.CharField(_("source"), max_length=14, choices=WishSource.choices, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=WishStatus.choices, default=WishStatus.OPEN, editable=False
    )
    valid_until = models.DateField(_("open until"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now, editable=False)

    objects = WishQuerySet.as_manager()

    class Meta:
        verbose_name = _("job wish")
        verbose_name_plural = _("job wishes")
        ordering = ["-created_at"]
        indexes = [
            # Matching a vacancy: the open, consented wishes of one occupation still in force, with every column
            # the ranking reads, so PostgreSQL ranks them by an index-only scan.
            models.Index(
                fields=["occupation", "valid_until"],
                include=["match_latitude", "match_longitude", "match_pay", "max_daily_hours", "id"],
                name="wish_match",
                condition=Q(status="open", consent=True),
            ),
            models.Index(fields=["station", "status", "valid_until"], name="wish_station_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.get_occupation_display()} · {self.name or _('worker')}"


@scoped(region="vacancy__station__region__code", station="vacancy__station")
class Referral(models.Model):
    """A worker referred to a vacancy (a 就业意向), the interview and the outcome (hired: 解决就业)."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("vacancy"))
    wish = models.ForeignKey(JobWish, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("job wish"))
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    interview_on = models.DateField(_("interview on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "wish"], name="referral_once")]

    def __str__(self) -> str:
        return f"{self.vacancy} ← {self.wish}"

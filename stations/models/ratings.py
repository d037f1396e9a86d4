"""Star ratings (星级评定): versioned rating schemes, inspectors' evaluations, the star level a station holds,
plaques (授牌 / 摘牌), and the workers' own ratings of a station."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stations.choices import LiuYou, StationKind
from stations.models.station import Station
from unionhub.models.regions import Region
from unionhub.scoping import scoped

MAX_STARS = 5


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("in use")
    RETIRED = "retired", _("retired")


class IndicatorSource(models.TextChoices):
    """Where a suggested score comes from; ``manual`` indicators are scored by the inspector alone."""

    MANUAL = "manual", _("inspector's judgement")
    FACILITIES_BASIC = "facilities_basic", _("basic facilities present")
    FACILITIES_EXTRA = "facilities_extra", _("extra facilities (1 point each)")
    SERVICES = "services", _("services offered (5 for full points)")
    ACTIVITIES = "activities", _("activities in the last 12 months (12 for full points)")
    VISITORS = "visitors", _("visitors in the last 12 months (20 a day for full points)")
    HOURS = "hours", _("opening hours, 24-hour claim checked against night visitors")
    SATISFACTION = "satisfaction", _("workers' ratings in the last 12 months")
    TEAMS = "teams", _("service teams in place")
    FUNDING = "funding", _("funding recorded this year or last")
    LIUYOU = "liuyou", _("六有 item checked")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("being scored")
    SUBMITTED = "submitted", _("awaiting approval")
    RETURNED = "returned", _("returned to the inspector")
    APPROVED = "approved", _("approved")


class StarChange(models.TextChoices):
    AWARDED = "awarded", _("awarded")
    RENEWED = "renewed", _("renewed")
    UPGRADED = "upgraded", _("upgraded")
    DOWNGRADED = "downgraded", _("downgraded")
    NOT_QUALIFIED = "not_qualified", _("below one star")
    REVOKED = "revoked", _("revoked")


class PlaqueAction(models.TextChoices):
    AWARDED = "awarded", _("plaque awarded (授牌)")
    REVOKED = "revoked", _("plaque removed (摘牌)")


def stars_label(stars: int | None) -> str:
    return "★" * (stars or 0) if stars else "—"


@scoped(region="region__code", shared=True)
class RatingScheme(models.Model):
    """A versioned set of weighted indicators for one or more station kinds, with the minimum total for each
    star level. Schemes with no region are the shared defaults shipped by a data migration; a county makes
    its own version of one. Only a draft is edited: a scheme in use is never changed in place, a new version
    is made (``stations.services.schemes.scheme_new_version``) so that past evaluations keep the scheme they used."""

    code = models.SlugField(_("scheme family"), max_length=40, help_text=_("Versions of one scheme share it."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    kinds = models.JSONField(_("station kinds"), default=list)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for the shared default schemes."),
    )
    status = models.CharField(_("status"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    thresholds = models.JSONField(
        _("minimum total for 1 to 5 stars"),
        default=list,
        help_text=_("Five ascending totals, e.g. 60, 70, 80, 88, 95."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity (years after the year of approval)"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text=_("1: a star level approved in 2026 is valid to the end of 2027."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating scheme")
        verbose_name_plural = _("rating schemes")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="ratingscheme_one_per_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def clean(self) -> None:
        errors = {}
        kinds = self.kinds if isinstance(self.kinds, list) else []
        if not kinds or set(kinds) - set(StationKind.values):
            errors["kinds"] = _("Choose one or more station kinds.")
        thresholds = self.thresholds if isinstance(self.thresholds, list) else []
        try:
            values = [Decimal(str(t)) for t in thresholds]
        except ArithmeticError:
            values = []
        if len(values) != MAX_STARS or any(v <= 0 for v in values) or values != sorted(set(values)):
            errors["thresholds"] = _("Give five ascending minimum totals, one for each star level.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self) -> bool:
        return self.status == SchemeStatus.DRAFT

    def stars_for(self, total: Decimal) -> int:
        """The star level a total reaches: 0 below the one-star minimum, at most 5. A total exactly on a
        threshold reaches it."""
        stars = 0
        for level, minimum in enumerate(self.thresholds, start=1):
            if Decimal(str(total)) >= Decimal(str(minimum)):
                stars = level
        return stars

    def valid_until(self, approved_on: dt.date) -> dt.date:
        """The last day a star level approved on ``approved_on`` holds: the end of the year, ``validity_years``
        years on (1: to the end of the following year)."""
        return dt.date(approved_on.year + self.validity_years, 12, 31)


@scoped(region="scheme__region__code", shared=True)
class Indicator(models.Model):
    """One scored item of a scheme, in a group (the 六有 items, or facilities, opening hours, …), with its
    maximum points, guidance for the inspector and where a suggested score comes from."""

    scheme = models.ForeignKey(
        RatingScheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("scheme")
    )
    group = models.CharField(_("group"), max_length=50)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("indicator"), max_length=100)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    guidance = models.TextField(_("guidance"), blank=True)
    source = models.CharField(
        _("suggested from"), max_length=20, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    source_param = models.CharField(
        _("source detail"), max_length=20, blank=True, help_text=_("For a 六有 item: which item.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="indicator_unique_code_in_scheme")]

    def __str__(self) -> str:
        return f"{self.group} · {self.name}"

    def clean(self) -> None:
        if self.source == IndicatorSource.LIUYOU and self.source_param not in LiuYou.values:
            raise ValidationError({"source_param": _("Name the 六有 item this indicator checks.")})


@scoped(region="station__region__code", station="station")
class Evaluation(models.Model):
    """An inspection of one station against a scheme version: who inspected when, a score per indicator,
    and the way through submission to county approval, which gives the station its star level."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("station")
    )
    scheme = models.ForeignKey(
        RatingScheme, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("scheme")
    )
    date = models.DateField(_("inspected on"), default=dt.date.today)
    inspectors = models.CharField(_("inspectors"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT, editable=False
    )
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, null=True, blank=True, editable=False)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-date", "-pk"]
        permissions = [("approve_evaluation", _("Can approve evaluations"))]

    def __str__(self) -> str:
        return f"{self.station} {self.date}"

    @property
    def is_editable(self) -> bool:
        return self.status in (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)

    def clean(self) -> None:
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("This date is in the future.")
        if self.scheme_id and self.station_id and self.station.kind not in (self.scheme.kinds or []):
            errors["scheme"] = _("This scheme does not apply to a %(kind)s.") % {
                "kind": self.station.get_kind_display()
            }
        if errors:
            raise ValidationError(errors)


@scoped(region="evaluation__station__region__code", station="evaluation__station")
class IndicatorScore(models.Model):
    """The score an evaluation gives one indicator: the figure the data suggests (and why), and the
    inspector's score, with a reason whenever it differs from the suggestion."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator"))
    suggested = models.DecimalField(_("suggested"), max_digits=5, decimal_places=1, null=True, blank=True)
    basis = models.CharField(_("what the records show"), max_length=200, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    override_reason = models.CharField(_("reason for a different score"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["indicator__sort_order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="indicatorscore_one_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score if self.score is not None else _('not scored yet')}"

    def clean(self) -> None:
        if self.score is None or not self.indicator_id:
            return
        maximum = self.indicator.max_points
        if self.score < 0 or self.score > maximum:
            raise ValidationError(
                {
                    "score": _("The score for “%(indicator)s” must be between 0 and %(max)s.")
                    % {"indicator": self.indicator.name, "max": maximum}
                }
            )
        if self.suggested is not None and self.score != self.suggested and not self.override_reason.strip():
            raise ValidationError(
                {
                    "override_reason": _("Give a reason for a score different from the suggested %(s)s.")
                    % {"s": self.suggested}
                }
            )


@scoped(region="station__region__code", station="station")
class StarRating(models.Model):
    """One step in a station's star-level history: awarded or renewed by an approved evaluation, downgraded or
    revoked by county staff. The level in force on a day is the latest step that started on or before it,
    while it is still valid; a step with 0 stars means no star level."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="star_ratings", verbose_name=_("station")
    )
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MaxValueValidator(MAX_STARS)])
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    change = models.CharField(_("change"), max_length=14, choices=StarChange.choices)
    reason = models.CharField(_("reason"), max_length=200)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("evaluation")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("star level")
        verbose_name_plural = _("star levels")
        ordering = ["station", "-valid_from", "-pk"]
        indexes = [
            models.Index(fields=["station", "valid_from"], name="starrating_station_from"),
            # The star levels running out soon (``selectors.ratings.stations_star_expiring``), found by their end.
            models.Index(fields=["valid_until"], name="starrating_until", condition=models.Q(stars__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.station} {stars_label(self.stars)} {self.valid_from}"

    def clean(self) -> None:
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("A star level cannot end before it starts.")})

    @property
    def stars_text(self) -> str:
        return stars_label(self.stars)

    def in_force_on(self, day: dt.date) -> bool:
        return self.stars > 0 and self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@scoped(region="station__region__code", station="station")
class PlaqueEvent(models.Model):
    """A plaque awarded (授牌) to a station when it first qualifies, or removed (摘牌) with a reason. The
    station's own plaque number and date hold the plaque it has now."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="plaque_events", verbose_name=_("station")
    )
    action = models.CharField(_("action"), max_length=8, choices=PlaqueAction.choices)
    number = models.CharField(_("plaque number"), max_length=30, blank=True)
    date = models.DateField(_("date"), default=dt.date.today)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    delist = models.BooleanField(
        _("delist the station"), default=True, help_text=_("Removing the plaque also delists the station.")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plaque award or removal")
        verbose_name_plural = _("plaques")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.station} {self.get_action_display()} {self.date}"


@scoped(region="station__region__code", station="station")
class StationRating(models.Model):
    """A worker's rating of a station from its public page or QR poster: 1 to 5 and a comment, one per
    mobile number, station and calendar month. The number is kept only as a keyed hash (to enforce the
    one-a-month rule) and a masked form for display."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="worker_ratings", verbose_name=_("station")
    )
    month = models.DateField(_("month"))
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    mobile_hash = models.CharField(max_length=64, editable=False)
    mobile_masked = models.CharField(_("mobile"), max_length=11, editable=False)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("worker rating")
        verbose_name_plural = _("worker ratings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "mobile_hash", "month"], name="stationrating_one_per_mobile_month"
            )
        ]
        indexes = [models.Index(fields=["station", "month"], name="stationrating_station_month")]

    def __str__(self) -> str:
        return f"{self.station} {self.score}"
